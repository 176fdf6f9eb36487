/*
 * docpatch_fuzz: fw_doc_patch, the agent's merge of a desired-state delta
 * into the document it holds (src/fw/fw_doc.c). Input: JSON [base,
 * delta]. Besides ASan/UBSan (and LeakSanitizer on the shared objects'
 * reference counts), checks: base is never modified (the agent keeps it
 * as the applied state if the new one fails), a patched document has the
 * delta's Revision and every list as an array, and a delta of another
 * revision is refused.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fw/fw.h"

static const char *const docpatch_lists[] = { "Vpcs", "VSwitches", "Groups",
    "NetworkInterfaces" };

int LLVMFuzzerTestOneInput(const char *data, unsigned long size);

int
LLVMFuzzerTestOneInput(const char *data, unsigned long size)
{
	json_t *in = json_loadb(data, size, 0, NULL), *base, *delta, *out;
	char *before = NULL, *after = NULL;

	if (!json_is_array(in) || json_array_size(in) != 2)
		goto done;
	base = json_array_get(in, 0);
	delta = json_array_get(in, 1);
	before = json_dumps(base, JSON_SORT_KEYS | JSON_ENCODE_ANY);
	out = fw_doc_patch(base, delta);
	after = json_dumps(base, JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (before == NULL || after == NULL || strcmp(before, after) != 0)
		abort();	/* base changed */
	if (out) {
		if (json_integer_value(json_object_get(delta, "BaseRevision")) !=
		    json_integer_value(json_object_get(base, "Revision")) ||
		    !json_equal(json_object_get(out, "Revision"),
		    json_object_get(delta, "Revision")))
			abort();
		for (size_t i = 0; i < 4; i++)
			if (!json_is_array(json_object_get(out,
			    docpatch_lists[i])))
				abort();
		json_decref(out);
	}
done:
	free(before);
	free(after);
	json_decref(in);
	return 0;
}
