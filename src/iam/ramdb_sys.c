/*
 * ramdb_sys: the system policies as RAM sees them — iam/pol.h's built-in
 * table (pol_system), found by name without regard to case.
 */
#include <stddef.h>
#include <strings.h>

#include "iam/ramdb.h"

size_t
ramdb_sys_count(void)
{
	size_t n = 0;

	while (pol_system(n) != NULL)
		n++;
	return n;
}

const struct pol_system *
ramdb_sys_at(size_t i)
{
	return pol_system(i);
}

const struct pol_system *
ramdb_sys_find(const char *name)
{
	const struct pol_system *s;

	for (size_t i = 0; name && (s = pol_system(i)) != NULL; i++)
		if (strcasecmp(s->name, name) == 0)
			return s;
	return NULL;
}
