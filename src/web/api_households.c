/* JSON API of the households: /api/v1/households. */
#include "app/households.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/arena.h"
#include "web/api.h"
#include "web/api_fields.h"
#include "web/handlers.h"
#include "web/reply.h"
#include "web/req.h"

static json_t *rfc3339(json_t *o, const char *key)
{
	char out[32];
	clock_rfc3339(json_integer_value(json_object_get(o, key)), out);
	return json_string(out);
}

static json_t *member_json(json_t *m)
{
	return json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(m, "id"),
	    "person_id", json_object_get(m, "person_id"), "nom", json_object_get(m, "nom"),
	    "prenom", json_object_get(m, "prenom"), "date_naissance",
	    json_object_get(m, "date_naissance"), "relation", json_object_get(m, "relation"),
	    "relation_label", json_object_get(m, "relation_label"), "date_entree",
	    json_object_get(m, "date_entree"), "date_sortie", json_object_get(m, "date_sortie"),
	    "current", json_object_get(m, "current"));
}

/* h: as returned by household_get (borrowed). */
static json_t *household_json(json_t *h)
{
	json_t *members = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(h, "members"), i, m)
	{
		json_array_append_new(members, member_json(m));
	}
	return json_pack("{s:O, s:O, s:o, s:O, s:o}", "id", json_object_get(h, "id"), "label",
	                 json_object_get(h, "label"), "created_at", rfc3339(h, "created_at"),
	                 "demandeur_id", json_object_get(h, "demandeur_id"), "members", members);
}

static void reply_household(struct req *r, int status, int64_t id)
{
	int err;
	json_t *h = household_get(r->db, &r->who, id, &err);
	if (!h) {
		reply_cas_err(r, err);
		return;
	}
	reply_json(r, status, household_json(h));
	json_decref(h);
}
/* The result of a mutation: 422 with the field errors, or the household. */
static void reply_after(struct req *r, int rc, json_t *errors, int status, int64_t id)
{
	if (rc == CAS_EINVAL && errors)
		api_reply_field_errors(r, errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_household(r, status, id);
	json_decref(errors);
}

static json_t *body(struct req *r)
{
	if (!r->json)
		r->json = json_object();
	return r->json;
}

void h_api_households(struct req *r)
{
	int limit, err;
	int64_t after;
	if (api_page_params(r, &limit, &after) != 0)
		return;
	json_t *rows = household_page(r->db, &r->who, after, limit, &err);
	if (!rows) {
		reply_cas_err(r, err);
		return;
	}
	json_t *data = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(rows, i, h)
	{
		json_array_append_new(
		    data, json_pack("{s:O, s:O, s:o, s:O, s:O, s:O}", "id",
		                    json_object_get(h, "id"), "label", json_object_get(h, "label"),
		                    "created_at", rfc3339(h, "created_at"), "demandeur_id",
		                    json_object_get(h, "demandeur_id"), "demandeur",
		                    json_object_get(h, "demandeur"), "members_count",
		                    json_object_get(h, "members")));
	}
	json_decref(rows);
	api_reply_page(r, data, limit);
}

void h_api_household_create(struct req *r)
{
	static const struct api_field fields[] = {
	    {"demandeur_id", 'i'}, {"label", 's'}, {"date_entree", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = household_create(r->db, &r->who, body(r), &id, &errors);
	if (rc == 0)
		r->location = arena_printf(r->arena, "/api/v1/households/%lld", (long long)id);
	reply_after(r, rc, errors, 201, id);
}

void h_api_household_get(struct req *r)
{
	reply_household(r, 200, r->ids[0]);
}

void h_api_household_update(struct req *r)
{
	static const struct api_field fields[] = {{"label", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *errors = NULL;
	int rc = household_update(r->db, &r->who, r->ids[0], body(r), &errors);
	reply_after(r, rc, errors, 200, r->ids[0]);
}

void h_api_household_member_add(struct req *r)
{
	static const struct api_field fields[] = {
	    {"person_id", 'i'}, {"relation", 's'}, {"date_entree", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	int64_t mid;
	json_t *errors = NULL;
	int rc = household_add_member(r->db, &r->who, r->ids[0], body(r), &mid, &errors);
	reply_after(r, rc, errors, 201, r->ids[0]);
}

void h_api_household_member_update(struct req *r)
{
	static const struct api_field fields[] = {{"date_sortie", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *errors = NULL;
	int rc = household_member_exit(r->db, &r->who, r->ids[0], r->ids[1], body(r), &errors);
	reply_after(r, rc, errors, 200, r->ids[0]);
}
