/* The "Évaluation" section of the dossier page (instructeur): the result of
 * the aid's rules on the dossier's current data with its explanation and
 * the origin of each datum, the stored evaluation, and the button that
 * stores a new one. */

#include "app/evaluate.h"
#include "app/input.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/aid_pages.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"
#include "web/result_view.h"

/* Adds view, variables and sources (with French origins) to an evaluation
 * object (current or stored). */
static void shape(json_t *e)
{
	json_t *inputs = json_object_get(e, "inputs");
	json_t *result = json_object_get(e, "result");
	if (json_is_object(result))
		json_object_set_new(e, "view", result_view(result));
	json_t *vars = variables_view(json_object_get(inputs, "variables"),
	                              json_object_get(inputs, "origines"));
	json_object_set_new(e, "has_variables", json_boolean(json_array_size(vars) > 0));
	json_object_set_new(e, "variables", vars);
	json_t *sources = json_deep_copy(json_object_get(inputs, "sources"));
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s)
	{
		json_object_set_new(s, "origine_label",
		                    json_string(origin_label(input_str(s, "origine"))));
	}
	json_object_set_new(e, "has_sources", json_boolean(json_array_size(sources) > 0));
	json_object_set_new(e, "sources", sources ? sources : json_array());
	json_object_del(e, "inputs");
}

static void shape_version(struct req *r, json_t *v)
{
	if (!json_is_object(v))
		return;
	json_object_set_new(v, "du_fr",
	                    aid_date_fr(r, json_string_value(json_object_get(v, "du"))));
	json_object_set_new(v, "au_fr",
	                    aid_date_fr(r, json_string_value(json_object_get(v, "au"))));
}

void evaluation_page_ctx(struct req *r, json_t *ctx, int64_t dossier_id)
{
	if (!perm_allows(r->who.role, PERM_DOSSIER_DETAIL))
		return;
	int err;
	json_t *ev = dossier_evaluation(r->db, &r->who, dossier_id, &err);
	if (!ev)
		return;
	json_t *cur = json_object_get(ev, "current"), *st = json_object_get(ev, "stored");
	if (cur) {
		shape(cur);
		shape_version(r, json_object_get(cur, "version"));
	}
	if (json_is_object(st)) {
		char at[FR_DATETIME_SIZE];
		fr_datetime(json_integer_value(json_object_get(st, "created_at")), at);
		json_object_set_new(st, "created_fr", json_string(at));
		json_object_set_new(
		    st, "date_reference_fr",
		    aid_date_fr(r, json_string_value(json_object_get(st, "date_reference"))));
		shape(st);
	}
	json_object_set_new(
	    ev, "date_fr",
	    aid_date_fr(r, json_string_value(json_object_get(ev, "date_reference"))));
	json_object_set_new(ev, "dossier_id", json_integer(dossier_id));
	json_object_set_new(ctx, "evaluation", ev);
}

void h_dossier_evaluate(struct req *r)
{
	int64_t eid = 0;
	json_t *errors = NULL;
	int rc = dossier_evaluate(r->db, &r->who, r->ids[0], &eid, &errors);
	const char *back = arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]);
	if (rc == CAS_EINVAL && errors)
		reply_error(r, 422, input_str(errors, "evaluation"));
	else if (rc == CAS_ECONFLICT)
		reply_error(r, 409,
		            "Le dossier est décidé : son évaluation enregistrée ne change plus.");
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, arena_printf(r->arena, "%s#evaluation", back),
		                     "evaluation_enregistree");
	json_decref(errors);
}
