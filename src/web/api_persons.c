/* JSON API of the persons: /api/v1/persons. The shape of a person is
 * described in app/person_json.h. */
#include <string.h>

#include "app/person_json.h"
#include "app/persons.h"
#include "base/err.h"
#include "base/arena.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/reply.h"
#include "web/req.h"

/* Validation errors of a use case (form field names) as a 422. */
static void reply_person_errors(struct req *r, json_t *errors)
{
	json_t *api = person_json_errors(errors);
	api_reply_field_errors(r, api);
	json_decref(api);
}

/* Replies with the person id in the API shape. */
static void reply_person(struct req *r, int status, int64_t id)
{
	int err;
	json_t *p = person_get(r->db, &r->who, id, &err);
	if (!p) {
		reply_cas_err(r, err);
		return;
	}
	reply_json(r, status, person_json_out(p));
	json_decref(p);
}

void h_api_persons_list(struct req *r)
{
	int limit;
	int64_t after_id;
	if (api_page_params(r, &limit, &after_id) != 0)
		return;
	struct person_search s = {.name = req_query(r, "q"),
	                          .date_naissance = req_query(r, "date_naissance"),
	                          .order = PERSON_ORDER_ID,
	                          .limit = limit + 1,
	                          .after_id = after_id};
	int err;
	json_t *errors = NULL;
	json_t *rows = person_search(r->db, &r->who, &s, &err, &errors);
	if (!rows) {
		if (errors)
			api_reply_field_errors(r, errors);
		else
			reply_cas_err(r, err);
		json_decref(errors);
		return;
	}
	json_t *data = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		json_array_append_new(data, person_json_out(p));
	}
	json_decref(rows);
	api_reply_page(r, data, limit);
}

void h_api_person_create(struct req *r)
{
	json_t *errors = NULL;
	json_t *body = r->json ? r->json : json_object();
	json_t *in = person_json_in(body, NULL, &errors);
	if (body != r->json)
		json_decref(body);
	if (!in) {
		api_reply_field_errors(r, errors);
		json_decref(errors);
		return;
	}
	int64_t id = 0;
	int rc = person_create(r->db, &r->who, in, &id, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL && errors)
		reply_person_errors(r, errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else {
		r->location = arena_printf(r->arena, "/api/v1/persons/%lld", (long long)id);
		reply_person(r, 201, id);
	}
	json_decref(errors);
}

void h_api_person_get(struct req *r)
{
	reply_person(r, 200, r->ids[0]);
}

void h_api_person_update(struct req *r)
{
	int err;
	json_t *p = person_get(r->db, &r->who, r->ids[0], &err);
	if (!p) {
		reply_cas_err(r, err);
		return;
	}
	json_t *base = person_json_input_of(p);
	json_decref(p);
	json_t *errors = NULL;
	json_t *in = r->json ? person_json_in(r->json, base, &errors) : json_incref(base);
	json_decref(base);
	if (!in) {
		api_reply_field_errors(r, errors);
		json_decref(errors);
		return;
	}
	int rc = person_update(r->db, &r->who, r->ids[0], in, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL && errors)
		reply_person_errors(r, errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_person(r, 200, r->ids[0]);
	json_decref(errors);
}
