/*
 * fw_doc: a GetHostDesiredState delta applied to the document the agent
 * holds (fw.h fw_doc_patch). Objects are matched by their id; the new
 * document shares every unchanged object with the old one (reference
 * counts), so a delta costs O(objects) pointer copies, not a parse.
 */
#include <string.h>

#include "fw/fw.h"

/* The document's lists and the id field of their objects. */
static const struct {
	const char *list;
	const char *id;
} fw_doc_lists[] = {
	{ "Vpcs", "VpcId" },
	{ "VSwitches", "VSwitchId" },
	{ "Groups", "SecurityGroupId" },
	{ "NetworkInterfaces", "NetworkInterfaceId" },
};

static const char *
fw_doc_id(const json_t *o, const char *field)
{
	const char *s = json_string_value(json_object_get(o, field));

	return s ? s : "";
}

/* base's list with the delta's objects in place, removed ones dropped,
 * new ones appended. */
static json_t *
fw_doc_list(const json_t *base, const json_t *changed, const json_t *gone,
    const char *field)
{
	json_t *upd = json_object(), *drop = json_object(), *out = json_array();
	json_t *o, *v;
	const char *id;
	size_t i;

	if (upd == NULL || drop == NULL || out == NULL)
		goto fail;
	json_array_foreach(changed, i, o)
		if (json_object_set(upd, fw_doc_id(o, field), o) < 0)
			goto fail;
	json_array_foreach(gone, i, o)
		if (json_is_string(o) &&
		    json_object_set(drop, json_string_value(o), json_true()) < 0)
			goto fail;
	json_array_foreach(base, i, o) {
		id = fw_doc_id(o, field);
		if (json_object_get(drop, id))
			continue;
		v = json_object_get(upd, id);
		if (json_array_append(out, v ? v : o) < 0)
			goto fail;
		if (v)
			json_object_del(upd, id);
	}
	/* The new ones, in the delta's order. */
	json_array_foreach(changed, i, o)
		if (json_object_get(upd, fw_doc_id(o, field)) &&
		    json_array_append(out, o) < 0)
			goto fail;
	json_decref(upd);
	json_decref(drop);
	return out;
fail:
	json_decref(upd);
	json_decref(drop);
	json_decref(out);
	return NULL;
}

/* InstanceStates: the Running flag of those instances' ENIs. */
static int
fw_doc_states(json_t *enis, const json_t *states)
{
	json_t *run = json_object(), *o, *v;
	size_t i;
	int r = -1;

	if (run == NULL)
		return -1;
	json_array_foreach(states, i, o)
		if (json_object_set(run, fw_doc_id(o, "InstanceId"),
		    json_object_get(o, "Running")) < 0)
			goto out;
	json_array_foreach(enis, i, o) {
		json_t *cp;

		v = json_object_get(run, fw_doc_id(o, "InstanceId"));
		if (v == NULL || json_equal(v, json_object_get(o, "Running")))
			continue;
		/* Shared with the old document: change a copy. */
		if ((cp = json_copy(o)) == NULL ||
		    json_object_set(cp, "Running", v) < 0 ||
		    json_array_set_new(enis, i, cp) < 0) {
			json_decref(cp);
			goto out;
		}
	}
	r = 0;
out:
	json_decref(run);
	return r;
}

json_t *
fw_doc_patch(const json_t *base, const json_t *delta)
{
	json_t *out, *removed = json_object_get(delta, "Removed");
	json_int_t have = json_integer_value(json_object_get(base, "Revision"));

	if (!json_is_true(json_object_get(delta, "Delta")) ||
	    json_integer_value(json_object_get(delta, "BaseRevision")) != have ||
	    (out = json_object()) == NULL)
		return NULL;
	if (json_object_set(out, "Revision",
	    json_object_get(delta, "Revision")) < 0 ||
	    json_object_set(out, "HostId", json_object_get(delta, "HostId")) < 0 ||
	    json_object_set(out, "Operator",
	    json_object_get(delta, "Operator")) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(fw_doc_lists) / sizeof(fw_doc_lists[0]);
	    i++) {
		const char *l = fw_doc_lists[i].list;
		json_t *v = fw_doc_list(json_object_get(base, l),
		    json_object_get(delta, l), json_object_get(removed, l),
		    fw_doc_lists[i].id);

		if (v == NULL || json_object_set_new(out, l, v) < 0)
			goto fail;
	}
	if (fw_doc_states(json_object_get(out, "NetworkInterfaces"),
	    json_object_get(delta, "InstanceStates")) < 0)
		goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}
