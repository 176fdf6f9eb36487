/*
 * eng_text: the text forms of the decision engine — a flow as
 * "tcp/22 src=10.0.0.1 dst=10.0.0.2 sport=40000 from=eni-a to=eni-b" (for
 * the CLI, tests and logs) and one-line descriptions of deciding items.
 * Strict: every token is known, every key appears at most once, numbers
 * are decimal without leading zeros. Pure; fuzzed by fuzz/flow_fuzz.c.
 */
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "sg/eng.h"

#define ENG_TOKEN_MAX 128

enum {
	ENG_K_PROTO = 1 << 0,
	ENG_K_SRC = 1 << 1,
	ENG_K_DST = 1 << 2,
	ENG_K_SPORT = 1 << 3,
	ENG_K_DPORT = 1 << 4,
	ENG_K_TYPE = 1 << 5,
	ENG_K_CODE = 1 << 6,
	ENG_K_STATE = 1 << 7,
	ENG_K_FROM = 1 << 8,
	ENG_K_TO = 1 << 9,
};

static const struct {
	const char *name;
	uint8_t num;
} eng_protos[] = {
	{ "tcp", ENG_IPPROTO_TCP },
	{ "udp", ENG_IPPROTO_UDP },
	{ "icmp", ENG_IPPROTO_ICMP },
	{ "icmpv6", ENG_IPPROTO_ICMPV6 },
	{ "gre", ENG_IPPROTO_GRE },
};

static const char *const eng_states[] = {
	[ENG_CT_NEW] = "new",
	[ENG_CT_ESTABLISHED] = "established",
	[ENG_CT_RELATED] = "related",
	[ENG_CT_INVALID] = "invalid",
};

/* Decimal 0..max, no sign, no leading zero; -1 if not. */
static long
eng_num(const char *s, long max)
{
	long v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

static int
eng_proto_name(const char *s)
{
	for (size_t i = 0; i < sizeof(eng_protos) / sizeof(*eng_protos); i++)
		if (strcmp(s, eng_protos[i].name) == 0)
			return eng_protos[i].num;
	return -1;
}

static int
eng_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static int
eng_eni_id(const char *s, char *out)
{
	size_t n = strlen(s);

	if (n == 0 || n >= RULE_ID_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!eng_id_char(s[i]))
			return -1;
	memcpy(out, s, n + 1);
	return 0;
}

static int
eng_addr(const char *s, struct eng_flow *f, uint8_t *dst)
{
	struct cidr c;

	if (cidr_parse_addr(s, &c) < 0 || (f->family && f->family != c.family))
		return -1;
	f->family = c.family;
	memcpy(dst, c.addr, 16);
	return 0;
}

/* One "key=value" token; seen tracks the keys met so far. */
static int
eng_kv(char *tok, struct eng_flow *f, unsigned *seen)
{
	static const char *const keys[] = { "proto", "src", "dst", "sport",
	    "dport", "type", "code", "state", "from", "to" };
	char *val = strchr(tok, '=');
	unsigned k = 0;
	long v = 0;

	if (val == NULL)
		return -1;
	*val++ = '\0';
	while (k < sizeof(keys) / sizeof(*keys) && strcmp(tok, keys[k]) != 0)
		k++;
	if (k == sizeof(keys) / sizeof(*keys) || (*seen & 1U << k))
		return -1;
	*seen |= 1U << k;
	switch (1U << k) {
	case ENG_K_PROTO:
		if ((v = eng_proto_name(val)) < 0 && (v = eng_num(val, 255)) < 0)
			return -1;
		f->proto = (uint8_t)v;
		return 0;
	case ENG_K_SRC:
		return eng_addr(val, f, f->src);
	case ENG_K_DST:
		return eng_addr(val, f, f->dst);
	case ENG_K_SPORT:
	case ENG_K_DPORT:
		if ((v = eng_num(val, 65535)) < 0)
			return -1;
		*(1U << k == ENG_K_SPORT ? &f->sport : &f->dport) = (uint16_t)v;
		return 0;
	case ENG_K_TYPE:
	case ENG_K_CODE:
		if ((v = eng_num(val, 255)) < 0)
			return -1;
		*(1U << k == ENG_K_TYPE ? &f->icmp_type : &f->icmp_code) =
		    (uint8_t)v;
		return 0;
	case ENG_K_STATE:
		for (v = 0; v <= ENG_CT_INVALID; v++)
			if (strcmp(val, eng_states[v]) == 0) {
				f->ct = (uint8_t)v;
				return 0;
			}
		return -1;
	case ENG_K_FROM:
		return eng_eni_id(val, f->src_eni);
	default:
		return eng_eni_id(val, f->dst_eni);
	}
}

/* A bare token: "tcp", or "tcp/22". */
static int
eng_bare(char *tok, struct eng_flow *f, unsigned *seen)
{
	char *slash = strchr(tok, '/');
	long v;

	if (slash)
		*slash++ = '\0';
	if ((*seen & ENG_K_PROTO) || (v = eng_proto_name(tok)) < 0)
		return -1;
	*seen |= ENG_K_PROTO;
	f->proto = (uint8_t)v;
	if (slash == NULL)
		return 0;
	if ((*seen & ENG_K_DPORT) || (v != ENG_IPPROTO_TCP &&
	    v != ENG_IPPROTO_UDP) || (v = eng_num(slash, 65535)) < 0)
		return -1;
	*seen |= ENG_K_DPORT;
	f->dport = (uint16_t)v;
	return 0;
}

int
eng_flow_parse(const char *s, struct eng_flow *f)
{
	char tok[ENG_TOKEN_MAX];
	unsigned seen = 0;
	int ported, icmp;

	memset(f, 0, sizeof(*f));
	for (;;) {
		size_t n;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " \t");
		if (n >= sizeof(tok))
			goto bad;
		memcpy(tok, s, n);
		tok[n] = '\0';
		s += n;
		if ((strchr(tok, '=') ? eng_kv(tok, f, &seen) :
		    eng_bare(tok, f, &seen)) < 0)
			goto bad;
	}
	ported = f->proto == ENG_IPPROTO_TCP || f->proto == ENG_IPPROTO_UDP;
	icmp = f->proto == ENG_IPPROTO_ICMP || f->proto == ENG_IPPROTO_ICMPV6;
	if ((seen & (ENG_K_PROTO | ENG_K_SRC | ENG_K_DST)) !=
	    (ENG_K_PROTO | ENG_K_SRC | ENG_K_DST) ||
	    (!ported && (seen & (ENG_K_SPORT | ENG_K_DPORT))) ||
	    (!icmp && (seen & (ENG_K_TYPE | ENG_K_CODE))))
		goto bad;
	return 0;
bad:
	memset(f, 0, sizeof(*f));
	return -ERR_INVALID_PARAMETER;
}

int
eng_flow_format(const struct eng_flow *f, char *buf, size_t len)
{
	struct cidr c = { .family = f->family };
	char src[CIDR_STR_MAX], dst[CIDR_STR_MAX];
	const char *name = NULL;
	size_t off;
	int n;

	if (f->ct > ENG_CT_INVALID)
		return -ERR_INVALID_PARAMETER;
	memcpy(c.addr, f->src, 16);
	if (cidr_format_addr(&c, src, sizeof(src)) < 0)
		return -ERR_INVALID_PARAMETER;
	memcpy(c.addr, f->dst, 16);
	if (cidr_format_addr(&c, dst, sizeof(dst)) < 0)
		return -ERR_INVALID_PARAMETER;
	for (size_t i = 0; i < sizeof(eng_protos) / sizeof(*eng_protos); i++)
		if (eng_protos[i].num == f->proto)
			name = eng_protos[i].name;
	if (name)
		n = snprintf(buf, len, "%s src=%s dst=%s", name, src, dst);
	else
		n = snprintf(buf, len, "proto=%u src=%s dst=%s", f->proto,
		    src, dst);
	if (n < 0 || (size_t)n >= len)
		return -ERR_INVALID_PARAMETER;
	off = (size_t)n;
	if (f->proto == ENG_IPPROTO_TCP || f->proto == ENG_IPPROTO_UDP)
		n = snprintf(buf + off, len - off, " sport=%u dport=%u",
		    f->sport, f->dport);
	else if (f->proto == ENG_IPPROTO_ICMP || f->proto == ENG_IPPROTO_ICMPV6)
		n = snprintf(buf + off, len - off, " type=%u code=%u",
		    f->icmp_type, f->icmp_code);
	else
		n = 0;
	if (n < 0 || (size_t)n >= len - off)
		return -ERR_INVALID_PARAMETER;
	off += (size_t)n;
	n = snprintf(buf + off, len - off, " state=%s%s%s%s%s",
	    eng_states[f->ct], f->src_eni[0] ? " from=" : "", f->src_eni,
	    f->dst_eni[0] ? " to=" : "", f->dst_eni);
	if (n < 0 || (size_t)n >= len - off)
		return -ERR_INVALID_PARAMETER;
	return 0;
}

int
eng_item_format(const struct eng_item *it, char *buf, size_t len)
{
	const char *pol = it->policy == RULE_DROP ? "Drop" : "Accept";
	int n;

	switch (it->kind) {
	case ENG_ITEM_RULE:
		n = snprintf(buf, len, "rule %s of %s (priority %u, %s)",
		    it->rule ? it->rule->id : "?",
		    it->group_id ? it->group_id : "?", it->priority, pol);
		break;
	case ENG_ITEM_INNER:
		n = snprintf(buf, len, "InnerAccessPolicy %s of %s "
		    "(priority %u)", pol, it->group_id ? it->group_id : "?",
		    it->priority);
		break;
	case ENG_ITEM_BLOCK:
		n = snprintf(buf, len, "operator block of port %u (Drop)",
		    it->port);
		break;
	case ENG_ITEM_DEFAULT:
		n = snprintf(buf, len, "default (priority %u, %s)",
		    it->priority, pol);
		break;
	case ENG_ITEM_CT:
		n = snprintf(buf, len, "conntrack %s (%s)",
		    it->ct <= ENG_CT_INVALID ? eng_states[it->ct] : "?", pol);
		break;
	default:
		return -ERR_INVALID_PARAMETER;
	}
	return n < 0 || (size_t)n >= len ? -ERR_INVALID_PARAMETER : 0;
}
