/*
 * ram_group: RAM user groups and memberships — CreateGroup, GetGroup,
 * UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup,
 * RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup. A membership
 * is a ram_member resource under the user naming the GroupId (the
 * authorization step reads a user's groups on every request), so renaming
 * either side keeps it. A user joins at most five groups; DeleteGroup
 * refuses while the group has members or policies.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ram_int.h"
#include "lib/rnd.h"

static json_t *
ram_group_view(const struct store_res *g, int full)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "GroupId", g->id,
	    "GroupName", ram_str(g->doc, "GroupName"),
	    "Comments", ram_str(g->doc, "Comments"),
	    "CreateDate", ram_str(g->doc, "CreateDate"));

	if (o && full)
		json_object_set_new(o, "UpdateDate",
		    json_string(ram_str(g->doc, "UpdateDate")));
	return o;
}

int
ram_CreateGroup(struct api_call *c)
{
	const char *name = api_str(c, "GroupName");
	const char *comments = api_str(c, "Comments");
	struct store_res g;
	char ts[32];
	int r;

	memset(&g, 0, sizeof(g));
	if ((r = ram_check_chars(c, "GroupName", RAM_CHARS_GROUP,
	    ERR_RAM_GROUP_NAME_CHARS)) < 0 ||
	    (r = ram_check_new(c, RAMDB_GROUP, name, ERR_RAM_GROUP_EXISTS,
	    RAMDB_MAX_GROUPS, ERR_RAM_LIMIT_GROUP)) < 0 ||
	    (r = rnd_id("g-", g.id, sizeof(g.id))) < 0)
		return r;
	ram_date(c, ts);
	g.doc = json_pack("{s:s, s:s, s:s, s:s}", "GroupName", name,
	    "Comments", comments ? comments : "", "CreateDate", ts,
	    "UpdateDate", ts);
	if ((r = ram_put_new(c, RAMDB_GROUP, g.id, NULL,
	    json_incref(g.doc))) == 0)
		json_object_set_new(c->out, "Group", ram_group_view(&g, 0));
	store_res_clear(&g);
	return r;
}

int
ram_GetGroup(struct api_call *c)
{
	struct store_res g;
	int r;

	if ((r = ram_get(c, RAMDB_GROUP, api_str(c, "GroupName"),
	    ERR_RAM_GROUP_NOT_FOUND, &g)) < 0)
		return r;
	json_object_set_new(c->out, "Group", ram_group_view(&g, 1));
	store_res_clear(&g);
	return 0;
}

int
ram_UpdateGroup(struct api_call *c)
{
	const char *nn = api_str(c, "NewGroupName");
	const char *comments = api_str(c, "NewComments");
	struct store_res g, other;
	char ts[32];
	json_t *d;
	int r;

	if ((r = ram_check_chars(c, "NewGroupName", RAM_CHARS_GROUP,
	    ERR_RAM_NEW_GROUP_NAME_CHARS)) < 0 ||
	    (r = ram_get(c, RAMDB_GROUP, api_str(c, "GroupName"),
	    ERR_RAM_GROUP_NOT_FOUND, &g)) < 0)
		return r;
	if (nn) {
		r = ramdb_find(c->st, c->who.account, RAMDB_GROUP, nn, &other);
		if (r == 0 && strcmp(other.id, g.id) != 0)
			r = api_fail(c, ERR_RAM_GROUP_EXISTS, "%s", nn);
		else if (r == -ERR_NOT_FOUND)
			r = 0;
		store_res_clear(&other);
		if (r < 0)
			goto out;
	}
	ram_date(c, ts);
	if ((d = json_deep_copy(g.doc)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if (nn)
		json_object_set_new(d, "GroupName", json_string(nn));
	if (comments)
		json_object_set_new(d, "Comments", json_string(comments));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	if ((r = ram_put(c, &g, d)) == 0)
		json_object_set_new(c->out, "Group", ram_group_view(&g, 1));
out:
	store_res_clear(&g);
	return r;
}

int
ram_DeleteGroup(struct api_call *c)
{
	struct store_filter fa = { c->who.account, RAMDB_ATTACH, NULL, NULL, NULL };
	struct store_res_list members = { NULL, 0 };
	struct store_res g;
	size_t pols;
	int r;

	if ((r = ram_get(c, RAMDB_GROUP, api_str(c, "GroupName"),
	    ERR_RAM_GROUP_NOT_FOUND, &g)) < 0)
		return r;
	fa.parent = g.id;
	if ((r = ramdb_group_members(c->st, c->who.account, g.id,
	    &members)) < 0 ||
	    (r = store_res_count(c->st, &fa, &pols)) < 0)
		goto out;
	if (members.n)
		r = api_fail(c, ERR_RAM_DELETE_GROUP_USER, NULL);
	else if (pols)
		r = api_fail(c, ERR_RAM_DELETE_GROUP_POLICY, NULL);
	else
		r = ramdb_del(c->st, &g);
out:
	store_res_list_free(&members);
	store_res_clear(&g);
	return r;
}

int
ram_ListGroups(struct api_call *c)
{
	return ram_list_kind(c, RAMDB_GROUP, ram_group_view, "Groups", "Group");
}

/* The user and group named by the call, and the user's memberships. */
struct ram_membership {
	struct store_res user, group;
	struct store_res_list joined;
	size_t at;		/* index of the membership in group, or n */
};

static void
ram_membership_free(struct ram_membership *m)
{
	store_res_clear(&m->user);
	store_res_clear(&m->group);
	store_res_list_free(&m->joined);
}

static int
ram_membership_get(struct api_call *c, struct ram_membership *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = ram_get(c, RAMDB_USER, api_str(c, "UserName"),
	    ERR_RAM_USER_NOT_FOUND, &m->user)) < 0 ||
	    (r = ram_get(c, RAMDB_GROUP, api_str(c, "GroupName"),
	    ERR_RAM_GROUP_NOT_FOUND, &m->group)) < 0 ||
	    (r = ramdb_children(c->st, c->who.account, RAMDB_MEMBER,
	    m->user.id, &m->joined)) < 0)
		return r;
	for (m->at = 0; m->at < m->joined.n; m->at++)
		if (strcmp(ram_str(m->joined.v[m->at].doc, "GroupId"),
		    m->group.id) == 0)
			break;
	return 0;
}

int
ram_AddUserToGroup(struct api_call *c)
{
	struct ram_membership m;
	char id[RND_ID_LEN], ts[32];
	int r;

	if ((r = ram_membership_get(c, &m)) < 0)
		goto out;
	if (m.at < m.joined.n) {
		r = api_fail(c, ERR_RAM_USER_GROUP_EXISTS, NULL);
		goto out;
	}
	if (m.joined.n >= RAMDB_MAX_GROUPS_PER_USER) {
		r = api_fail(c, ERR_RAM_LIMIT_USER_GROUP, NULL);
		goto out;
	}
	if ((r = rnd_id("rgm-", id, sizeof(id))) < 0)
		goto out;
	ram_date(c, ts);
	r = ram_put_new(c, RAMDB_MEMBER, id, m.user.id, json_pack(
	    "{s:s, s:s}", "GroupId", m.group.id, "JoinDate", ts));
out:
	ram_membership_free(&m);
	return r;
}

int
ram_RemoveUserFromGroup(struct api_call *c)
{
	struct ram_membership m;
	int r;

	if ((r = ram_membership_get(c, &m)) < 0)
		goto out;
	if (m.at == m.joined.n)
		r = api_fail(c, ERR_RAM_USER_GROUP_NOT_FOUND, NULL);
	else
		r = store_res_del(c->st, m.joined.v[m.at].id);
out:
	ram_membership_free(&m);
	return r;
}

int
ram_ListGroupsForUser(struct api_call *c)
{
	struct store_res_list joined = { NULL, 0 };
	struct store_res user, g;
	json_t *arr = json_array(), *o;
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ram_get(c, RAMDB_USER, api_str(c, "UserName"),
	    ERR_RAM_USER_NOT_FOUND, &user)) < 0) {
		json_decref(arr);
		return r;
	}
	if ((r = ramdb_children(c->st, c->who.account, RAMDB_MEMBER, user.id,
	    &joined)) < 0)
		goto out;
	for (size_t i = 0; i < joined.n; i++) {
		if ((r = store_res_get(c->st, ram_str(joined.v[i].doc,
		    "GroupId"), &g)) < 0)
			goto out;
		o = ram_group_view(&g, 0);
		json_object_del(o, "CreateDate");
		json_object_set_new(o, "JoinDate", json_string(ram_str(
		    joined.v[i].doc, "JoinDate")));
		json_array_append_new(arr, o);
		store_res_clear(&g);
	}
	json_object_set_new(c->out, "Groups", api_wrap_list(arr, "Group"));
	arr = NULL;
out:
	json_decref(arr);
	store_res_list_free(&joined);
	store_res_clear(&user);
	return r;
}

int
ram_ListUsersForGroup(struct api_call *c)
{
	struct store_res_list l = { NULL, 0 };
	struct store_res group, u;
	json_t *arr = json_array();
	size_t start, end;
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ram_get(c, RAMDB_GROUP, api_str(c, "GroupName"),
	    ERR_RAM_GROUP_NOT_FOUND, &group)) < 0) {
		json_decref(arr);
		return r;
	}
	if ((r = ramdb_group_members(c->st, c->who.account, group.id,
	    &l)) < 0 ||
	    (r = ram_page(c, l.n, &start, &end)) < 0)
		goto out;
	for (size_t i = start; i < end; i++) {
		if ((r = store_res_get(c->st, l.v[i].parent, &u)) < 0)
			goto out;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "UserName", ram_str(u.doc, "UserName"),
		    "DisplayName", ram_str(u.doc, "DisplayName"),
		    "JoinDate", ram_str(l.v[i].doc, "JoinDate")));
		store_res_clear(&u);
	}
	json_object_set_new(c->out, "Users", api_wrap_list(arr, "User"));
	arr = NULL;
	ram_page_out(c, end, l.n);
out:
	json_decref(arr);
	store_res_list_free(&l);
	store_res_clear(&group);
	return r;
}

#define RAM_P_GROUPNAME \
	{ "GroupName", PT_STR, AP_REQUIRED, 1, 64, NULL, \
	  ERR_RAM_GROUP_NAME_LENGTH }
#define RAM_P_USERNAME \
	{ "UserName", PT_STR, AP_REQUIRED, 1, 64, NULL, \
	  ERR_RAM_USER_NAME_LENGTH }
#define RAM_P_PAGING \
	{ "Marker", PT_STR, 0, 0, 256, NULL, 0 }, \
	{ "MaxItems", PT_INT, 0, 1, RAM_MAX_ITEMS, NULL, 0 }

const struct api_param ram_p_CreateGroup[] = {
	RAM_P_GROUPNAME,
	{ "Comments", PT_STR, 0, 0, 128, NULL, ERR_RAM_COMMENTS_LENGTH },
	RAM_END,
};

const struct api_param ram_p_GetGroup[] = { RAM_P_GROUPNAME, RAM_END };

const struct api_param ram_p_UpdateGroup[] = {
	RAM_P_GROUPNAME,
	{ "NewGroupName", PT_STR, 0, 1, 64, NULL,
	  ERR_RAM_NEW_GROUP_NAME_LENGTH },
	{ "NewComments", PT_STR, 0, 0, 128, NULL, ERR_RAM_NEW_COMMENTS_LENGTH },
	RAM_END,
};

const struct api_param ram_p_DeleteGroup[] = { RAM_P_GROUPNAME, RAM_END };

const struct api_param ram_p_ListGroups[] = { RAM_P_PAGING, RAM_END };

const struct api_param ram_p_AddUserToGroup[] = {
	RAM_P_GROUPNAME, RAM_P_USERNAME, RAM_END,
};

const struct api_param ram_p_RemoveUserFromGroup[] = {
	RAM_P_GROUPNAME, RAM_P_USERNAME, RAM_END,
};

const struct api_param ram_p_ListGroupsForUser[] = { RAM_P_USERNAME, RAM_END };

const struct api_param ram_p_ListUsersForGroup[] = {
	RAM_P_GROUPNAME, RAM_P_PAGING, RAM_END,
};
