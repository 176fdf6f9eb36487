/*
 * log: one line per event on stderr, "time level message". Only the API
 * boundary and main loops log; library code returns errors instead.
 * Never pass secrets (AccessKeySecret, SecurityToken, private keys).
 */
#ifndef SEKISHO_LOG_H
#define SEKISHO_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lv);
int log_level_parse(const char *s, enum log_level *out);
void log_msg(enum log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
