/* The anonymised agenda of a session: for each item, the input of
 * domain/agenda_anon.h gathered from the store (the household's members
 * with everything that must be hidden, the budget totals, the evaluation
 * behind the proposal, the decision), then the domain's whitelisted view. */
#include "app/commission.h"

#include <string.h>

#include "app/actor.h"
#include "app/commission_internal.h"
#include "app/perm.h"
#include "base/err.h"
#include "domain/agenda_anon.h"
#include "store/commission_store.h"
#include "store/evaluation_store.h"

/* Members of the household; those gone by the session's date are
 * "ancien" (hidden from the text, not counted). */
static json_t *persons_of(struct db *db, int64_t tenant, json_t *it, const char *on, int *err)
{
	json_t *rows = commission_store_members(db, tenant, cm_int(it, "household_id"));
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		const char *out = json_string_value(json_object_get(p, "date_sortie"));
		json_object_set_new(p, "ancien", json_boolean(out && strcmp(out, on) <= 0));
		json_object_del(p, "date_sortie");
	}
	return rows;
}

static int add_totals(struct db *db, int64_t tenant, json_t *it, json_t *in)
{
	json_t *t = commission_store_totals(db, tenant, cm_int(it, "dossier_id"));
	if (!t)
		return CAS_EDB;
	if (cm_int(t, "nb_lignes") > 0) {
		json_object_set(in, "ressources", json_object_get(t, "ressources"));
		json_object_set(in, "charges", json_object_get(t, "charges"));
	}
	json_decref(t);
	return 0;
}

/* The evaluation backing the proposal (or the latest): its variables, and
 * its explanation lines into *lines (new array). */
static int add_evaluation(struct db *db, int64_t tenant, json_t *it, json_t *in, json_t **lines)
{
	int err = 0;
	int64_t eid = cm_int(it, "evaluation_id");
	json_t *row = eid ? commission_store_evaluation(db, tenant, eid, &err)
	                  : evaluation_store_latest(db, tenant, cm_int(it, "dossier_id"), &err);
	*lines = json_array();
	if (!row)
		return err == CAS_ENOTFOUND ? 0 : err;
	json_t *inputs = json_loads(cm_str(row, "inputs"), 0, NULL);
	json_t *result = json_loads(cm_str(row, "result"), 0, NULL);
	json_t *vars = json_object_get(inputs, "variables");
	json_object_set_new(in, "variables", vars ? json_incref(vars) : json_object());
	json_object_set_new(
	    in, "qf_certifie",
	    json_boolean(
	        strcmp(cm_str(json_object_get(inputs, "origines"), "qf_caf"), "certifie") == 0));
	json_t *texte = json_object_get(json_object_get(result, "explication"), "texte");
	if (json_is_array(texte))
		json_array_extend(*lines, texte);
	json_decref(inputs);
	json_decref(result);
	json_decref(row);
	return 0;
}

static void add_proposal_decision(json_t *it, json_t *in, json_t *lines)
{
	if (!json_is_null(json_object_get(it, "proposition")))
		json_object_set_new(in, "proposition",
		                    json_pack("{s:O, s:O, s:O, s:O}", "proposition",
		                              json_object_get(it, "proposition"), "montant",
		                              json_object_get(it, "montant_propose"),
		                              "appreciation", json_object_get(it, "appreciation"),
		                              "explication", lines));
	if (!json_is_null(json_object_get(it, "decision")))
		json_object_set_new(
		    in, "decision",
		    json_pack("{s:O, s:O, s:O, s:O}", "decision", json_object_get(it, "decision"),
		              "montant", json_object_get(it, "montant"), "motif",
		              json_object_get(it, "motif"), "vote", json_object_get(it, "vote")));
	else if (cm_int(it, "a_rapporter"))
		json_object_set_new(in, "decision",
		                    json_pack("{s:O, s:O, s:O}", "decision",
		                              json_object_get(it, "dossier_decision"), "montant",
		                              json_object_get(it, "montant_accorde"), "motif",
		                              json_object_get(it, "motif_decision")));
}

static json_t *anon_item(struct db *db, int64_t tenant, json_t *it, const char *on, int *err)
{
	json_t *persons = persons_of(db, tenant, it, on, err);
	if (!persons)
		return NULL;
	json_t *in = json_pack("{s:O, s:O, s:O, s:O, s:b, s:o}", "numero",
	                       json_object_get(it, "numero"), "aide", json_object_get(it, "aide"),
	                       "montant_demande", json_object_get(it, "montant_demande"), "motif",
	                       json_object_get(it, "dossier_motif"), "a_rapporter",
	                       cm_int(it, "a_rapporter") != 0, "personnes", persons);
	json_t *lines = NULL;
	*err = add_totals(db, tenant, it, in);
	if (*err == 0)
		*err = add_evaluation(db, tenant, it, in, &lines);
	json_t *out = NULL;
	if (*err == 0) {
		add_proposal_decision(it, in, lines);
		out = agenda_anon_item(in, on);
		json_object_set(out, "ordre", json_object_get(it, "ordre"));
		json_object_set(out, "item_id", json_object_get(it, "id"));
	}
	json_decref(lines);
	json_decref(in);
	return out;
}

json_t *cm_anonymous_items(struct db *db, int64_t tenant_id, json_t *session, int *err)
{
	json_t *items = commission_store_items(db, tenant_id, cm_int(session, "id"));
	if (!items) {
		*err = CAS_EDB;
		return NULL;
	}
	json_t *out = json_array();
	const char *on = cm_str(session, "date_seance");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		json_t *a = anon_item(db, tenant_id, it, on, err);
		if (!a) {
			json_decref(out);
			out = NULL;
			break;
		}
		json_array_append_new(out, a);
	}
	json_decref(items);
	return out;
}

json_t *commission_anonymous(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_COMMISSION_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *c = commission_store_get(db, who->tenant_id, id, err);
	if (!c)
		return NULL;
	json_t *items = cm_anonymous_items(db, who->tenant_id, c, err);
	char fr[48], lg[64];
	cm_date_fr(cm_str(c, "date_seance"), fr, sizeof(fr));
	cm_date_long(cm_str(c, "date_seance"), lg, sizeof(lg));
	json_t *out = items ? json_pack("{s:{s:O, s:s, s:s, s:O, s:O, s:s}, s:o}", "session", "id",
	                                json_object_get(c, "id"), "date_fr", fr, "date_long", lg,
	                                "heure", json_object_get(c, "heure"), "lieu",
	                                json_object_get(c, "lieu"), "state_label",
	                                commission_state_label(cm_str(c, "state")), "items", items)
	                    : NULL;
	json_decref(c);
	return out;
}
