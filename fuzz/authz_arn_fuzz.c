/*
 * authz_arn_fuzz: the authorize step's resource derivation
 * (authz_arns_build) over arbitrary request parameters.
 *
 * Input: a query string (decoded by prm_parse, as the pipeline does). It
 * is run for every service with and without a calling RAM user.
 *
 * Checks, besides ASan/UBSan/leaks: the build succeeds (or refuses a
 * request naming more than AUTHZ_ARNS_MAX resources), yields at least one
 * ARN, every ARN (but STS's RoleArn, taken as given) starts with "acs:"
 * and holds the account, none repeats, and a second build gives the same
 * list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iam/authz.h"
#include "lib/err.h"
#include "lib/prm.h"

static void
arn_fuzz_one(const struct prm_list *p, const char *service, const char *self)
{
	struct authz_arn_in in = { p, service, "CreateAccessKey", "1234", self };
	struct authz_arns a, b;
	int r = authz_arns_build(&in, &a);

	if (r == -ERR_INVALID_PARAMETER || r == -ERR_NOMEM)
		return;
	if (r != 0 || a.n == 0 || a.n > AUTHZ_ARNS_MAX)
		abort();
	if (authz_arns_build(&in, &b) != 0 || b.n != a.n)
		abort();
	for (size_t i = 0; i < a.n; i++) {
		/* STS: the RoleArn as given, whatever it is. */
		if (strcmp(a.v[i], b.v[i]) != 0 || (strcmp(service, "sts") != 0 &&
		    (strncmp(a.v[i], "acs:", 4) != 0 ||
		    strstr(a.v[i], ":1234:") == NULL)))
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(a.v[i], a.v[j]) == 0)
				abort();
	}
	authz_arns_free(&a);
	authz_arns_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const services[] = { "ecs", "vpc", "ram", "sts",
	    "sekisho" };
	struct prm_list p;

	prm_init(&p);
	if (prm_parse(&p, (const char *)data, size) == 0)
		for (size_t i = 0; i < sizeof(services) / sizeof(services[0]);
		    i++) {
			arn_fuzz_one(&p, services[i], NULL);
			arn_fuzz_one(&p, services[i], "alice");
		}
	prm_free(&p);
	return 0;
}
