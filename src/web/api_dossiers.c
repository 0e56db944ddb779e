/* JSON API of the dossiers (/api/v1/dossiers) and of the aid catalogue
 * (/api/v1/aid-types). Amounts are integer cents in fields ending in
 * _centimes. */
#include <string.h>

#include "app/aid_types.h"
#include "app/dossiers.h"
#include "app/workflow.h"
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

static json_t *get(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v ? v : json_null();
}

/* The header of a dossier, as in lists. */
static json_t *header_json(json_t *d)
{
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, "
	                 "s:o}",
	                 "id", get(d, "id"), "numero", get(d, "numero"), "household_id",
	                 get(d, "household_id"), "household_label", get(d, "household_label"),
	                 "applicant_id", get(d, "applicant_id"), "demandeur", get(d, "demandeur"),
	                 "aid_type_id", get(d, "aid_type_id"), "aide_code", get(d, "aide_code"),
	                 "aide_label", get(d, "aide"), "motif", get(d, "motif"),
	                 "montant_demande_centimes", get(d, "montant_demande"), "etat",
	                 get(d, "state"), "etat_label", get(d, "state_label"), "created_at",
	                 rfc3339(d, "created_at"), "updated_at", rfc3339(d, "updated_at"));
}

static json_t *events_json(json_t *d)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(d, "events"), i, e)
	{
		json_array_append_new(
		    out, json_pack("{s:O, s:O, s:O, s:o, s:O}", "id", get(e, "id"), "kind",
		                   get(e, "kind"), "detail", get(e, "detail"), "created_at",
		                   rfc3339(e, "created_at"), "actor", get(e, "actor")));
	}
	return out;
}

static void add_budget(json_t *out, json_t *d)
{
	json_t *lines = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(d, "lines"), i, l)
	{
		json_array_append_new(
		    lines, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "id", get(l, "id"), "kind",
		                     get(l, "kind"), "category", get(l, "category"),
		                     "category_label", get(l, "category_label"), "label",
		                     get(l, "label"), "montant_centimes", get(l, "montant")));
	}
	json_t *t = json_object_get(d, "totals");
	json_object_set_new(out, "lines", lines);
	json_object_set_new(out, "totals",
	                    json_pack("{s:O, s:O, s:O}", "ressources_centimes",
	                              get(t, "ressources"), "charges_centimes", get(t, "charges"),
	                              "reste_a_vivre_centimes", get(t, "reste_a_vivre")));
}

static json_t *time_or_null(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key)) ? rfc3339(o, key) : json_null();
}

static void append_all(json_t *to, json_t *from)
{
	json_array_extend(to, from);
	json_decref(from);
}

/* Where the dossier stands in the instruction (app/workflow.h). */
static json_t *workflow_json(json_t *d)
{
	json_t *w = json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:O, s:O, s:O, s:O, s:o, s:o, s:b, s:O, "
	    "s:b}",
	    "depose_le", get(d, "depose_le"), "agent", get(d, "agent"), "proposition",
	    get(d, "proposition"), "montant_propose_centimes", get(d, "montant_propose"),
	    "appreciation", get(d, "appreciation"), "evaluation_id", get(d, "evaluation_id"),
	    "instruit_par", get(d, "instructed_by_label"), "instruit_le",
	    time_or_null(d, "instructed_at"), "decision", get(d, "decision"),
	    "montant_accorde_centimes", get(d, "montant_accorde"), "motif_decision",
	    get(d, "motif_decision"), "decide_par", get(d, "decided_by_label"), "decide_le",
	    time_or_null(d, "decided_at"), "notifie_le", time_or_null(d, "notified_at"),
	    "a_rapporter", json_integer_value(json_object_get(d, "a_rapporter")) != 0, "echeance",
	    get(d, "due"), "en_retard", json_is_true(json_object_get(d, "overdue")));
	json_t *actions = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(d, "actions"), i, a)
	{
		json_t *req = json_array();
		if (json_is_true(json_object_get(a, "needs_motif")))
			json_array_append_new(req, json_string("motif"));
		if (json_is_true(json_object_get(a, "needs_proposal")))
			append_all(
			    req, json_pack("[s, s, s]", "proposition", "appreciation", "montant"));
		if (json_is_true(json_object_get(a, "needs_decision")))
			append_all(req, json_pack("[s, s, s]", "decision", "montant", "motif"));
		json_array_append_new(actions, json_pack("{s:O, s:O, s:o, s:O}", "to", get(a, "to"),
		                                         "label", get(a, "label"), "fields", req,
		                                         "refus", get(a, "refusal")));
	}
	json_object_set_new(w, "actions", actions);
	return w;
}

/* d: as returned by dossier_get (borrowed). */
static json_t *dossier_json(json_t *d)
{
	json_t *out = header_json(d);
	json_object_set_new(out, "workflow", workflow_json(d));
	json_t *next = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(d, "transitions"), i, s)
	{
		json_array_append(next, get(s, "state"));
	}
	json_object_set_new(out, "transitions", next);
	json_object_set_new(out, "events", events_json(d));
	if (json_is_true(json_object_get(d, "detail")))
		add_budget(out, d);
	return out;
}

static void reply_dossier(struct req *r, int status, int64_t id)
{
	int err;
	json_t *d = dossier_get(r->db, &r->who, id, &err);
	if (!d) {
		reply_cas_err(r, err);
		return;
	}
	reply_json(r, status, dossier_json(d));
	json_decref(d);
}

static json_t *body(struct req *r)
{
	if (!r->json)
		r->json = json_object();
	return r->json;
}

static void reply_after(struct req *r, int rc, json_t *errors, int status, int64_t id)
{
	if (rc == CAS_EINVAL && errors)
		api_reply_field_errors(r, errors);
	else if (rc == CAS_ECONFLICT)
		reply_api_error(r, 409, "closed", "Un dossier clôturé ne peut plus être modifié.",
		                NULL);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_dossier(r, status, id);
	json_decref(errors);
}

void h_api_dossiers(struct req *r)
{
	struct dossier_query q = {.etat = req_query(r, "etat"), .aide = req_query(r, "aide")};
	if (api_page_params(r, &q.limit, &q.after_id) != 0)
		return;
	int err;
	json_t *errors = NULL;
	json_t *rows = dossier_page(r->db, &r->who, &q, &err, &errors);
	if (!rows) {
		if (err == CAS_EINVAL && errors)
			api_reply_field_errors(r, errors);
		else
			reply_cas_err(r, err);
		json_decref(errors);
		return;
	}
	json_t *data = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		json_array_append_new(data, header_json(d));
	}
	json_decref(rows);
	api_reply_page(r, data, q.limit);
}

void h_api_dossier_create(struct req *r)
{
	static const struct api_field fields[] = {{"household_id", 'i'},
	                                          {"applicant_id", 'i'},
	                                          {"aid_type_id", 'i'},
	                                          {"motif", 's'},
	                                          {"montant_demande_centimes", 'i'},
	                                          {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *in = body(r);
	if (!json_object_get(in, "montant_demande_centimes"))
		json_object_set_new(in, "montant_demande_centimes", json_null());
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = dossier_create(r->db, &r->who, in, &id, &errors);
	if (rc == CAS_ECONFLICT) {
		json_decref(errors);
		reply_api_error(
		    r, 409, "conflict",
		    "Un autre dossier a reçu le même numéro au même instant : renvoyez la "
		    "demande.",
		    NULL);
		return;
	}
	if (rc == 0)
		r->location = arena_printf(r->arena, "/api/v1/dossiers/%lld", (long long)id);
	reply_after(r, rc, errors, 201, id);
}

void h_api_dossier_get(struct req *r)
{
	reply_dossier(r, 200, r->ids[0]);
}

void h_api_dossier_update(struct req *r)
{
	static const struct api_field fields[] = {
	    {"motif", 's'}, {"montant_demande_centimes", 'i'}, {"etat", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *errors = NULL;
	int rc = dossier_update(r->db, &r->who, r->ids[0], body(r), &errors);
	reply_after(r, rc, errors, 200, r->ids[0]);
}

void h_api_dossier_line_add(struct req *r)
{
	static const struct api_field fields[] = {
	    {"category", 's'}, {"label", 's'}, {"montant_centimes", 'i'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *in = body(r);
	if (!json_object_get(in, "montant_centimes"))
		json_object_set_new(in, "montant_centimes", json_null());
	int64_t line_id;
	json_t *errors = NULL;
	int rc = dossier_add_line(r->db, &r->who, r->ids[0], in, &line_id, &errors);
	reply_after(r, rc, errors, 201, r->ids[0]);
}

void h_api_dossier_note_add(struct req *r)
{
	static const struct api_field fields[] = {{"note", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *errors = NULL;
	int rc = dossier_add_note(r->db, &r->who, r->ids[0], body(r), &errors);
	reply_after(r, rc, errors, 201, r->ids[0]);
}

void h_api_aid_types(struct req *r)
{
	int limit, err;
	int64_t after;
	if (api_page_params(r, &limit, &after) != 0)
		return;
	json_t *rows = aid_type_page(r->db, &r->who, after, limit, &err);
	if (!rows) {
		reply_cas_err(r, err);
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a)
	{
		json_object_set_new(a, "active",
		                    json_boolean(json_integer_value(json_object_get(a, "active"))));
	}
	api_reply_page(r, rows, limit);
}

/* {to, fields: {motif, proposition, appreciation, montant | montant_centimes,
 * evaluation_id, decision, commission_id}} -> the dossier. */
void h_api_dossier_transition(struct req *r)
{
	static const struct api_field fields[] = {{"to", 's'}, {"fields", 'o'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *in = body(r);
	json_t *f = json_object_get(in, "fields");
	if (f && !json_is_object(f) && !json_is_null(f)) {
		json_t *e = json_pack("{s:s}", "fields",
		                      "Ce champ doit être un objet : nom du champ → valeur.");
		api_reply_field_errors(r, e);
		json_decref(e);
		return;
	}
	json_t *errors = NULL;
	int rc = workflow_transition(r->db, &r->who, r->ids[0],
	                             json_string_value(json_object_get(in, "to")),
	                             json_object_get(in, "fields"), &errors);
	if (rc == CAS_ECONFLICT) {
		json_decref(errors);
		reply_api_error(r, 409, "conflict",
		                "Le dossier vient de changer d'état : relisez-le avant d'agir.",
		                NULL);
		return;
	}
	reply_after(r, rc, errors, 200, r->ids[0]);
}
