/*
 * cli: the `sekisho` command-line client. A thin layer over the signing
 * code the server verifies with (api/sig.h): it resolves an endpoint and an
 * AccessKey, signs one OpenAPI call (V3 by default, V1 on request), sends
 * it with libcurl and prints the JSON answer.
 *
 *   sekisho <product> <Action> [--Name value | --Name=value]... [options]
 *   sekisho configure --endpoint URL --access-key-id ID --access-key-secret S
 *
 * Subcommands are rows of a table (cli.c); a first word that names no
 * subcommand is taken as a product (cli_prod.c) and called generically.
 */
#ifndef SEKISHO_CLI_H
#define SEKISHO_CLI_H

/* Process exit statuses (documented in --help). */
#define CLI_EXIT_OK	0	/* the call succeeded */
#define CLI_EXIT_API	1	/* the server answered with an error */
#define CLI_EXIT_NET	2	/* no usable answer: connection, timeout, garbage */
#define CLI_EXIT_USAGE	64	/* bad command line (sysexits EX_USAGE) */
#define CLI_EXIT_CONFIG	78	/* missing/unreadable credentials or profile (EX_CONFIG) */

/* Runs the client on argv; returns the process exit status. */
int cli_main(int argc, char **argv);

#endif
