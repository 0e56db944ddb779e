/* Decisions of the commission, one by one or in batch (one transaction:
 * all or nothing), closing the session with its minutes, and the minutes'
 * download. The decision itself is the workflow's (app/workflow.h): the
 * dossier goes to "decide" there, with four-eyes and the budget checks;
 * the agenda item records what the board decided and its vote. */
#include "app/commission.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/commission_internal.h"
#include "app/input.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "store/commission_store.h"
#include "store/db.h"
#include "store/dossier_store.h"

#define VOTE_MAX 2000 /* characters */

/* What one decision carries (strings borrowed from the caller's input). */
struct decide_in {
	int64_t item_id;
	const char *decision, *montant, *motif, *vote;
};

/* errors {"lot": "Dossier N : message"} plus the item's field errors keyed
 * "<field>_<item>" (batch) or as they are (one decision). */
static int refused(json_t **errors, const char *numero, int64_t item, int batch, json_t *errs,
                   const char *message)
{
	char text[600], key[80];
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(errs, k, v)
	{
		if (strcmp(k, "to") == 0)
			continue;
		snprintf(key, sizeof(key), "%s_%lld", k, (long long)item);
		json_object_set(out, batch ? key : k, v);
	}
	if (batch || !json_object_size(out)) {
		snprintf(text, sizeof(text), "Dossier %s : %s", numero, message);
		json_object_set_new(out, batch ? "lot" : "decision", json_string(text));
	}
	json_decref(*errors);
	*errors = out;
	return CAS_EINVAL;
}

static const char *first_message(json_t *errs)
{
	const char *m = json_string_value(json_object_get(errs, "to"));
	const char *k;
	json_t *v;
	json_object_foreach(errs, k, v)
	{
		if (!m && json_is_string(v))
			m = json_string_value(v);
	}
	return m ? m : "la décision est refusée.";
}

/* The item, undecided and to be decided here. */
static int check_item(json_t *it, int64_t item, int batch, json_t **errors)
{
	const char *numero = cm_str(it, "numero");
	if (!json_is_null(json_object_get(it, "decision")))
		return refused(errors, numero, item, batch, NULL,
		               "une décision est déjà enregistrée pour ce dossier.");
	if (cm_int(it, "a_rapporter"))
		return refused(errors, numero, item, batch, NULL,
		               "décidé en urgence, il est rapporté pour information.");
	return 0;
}

/* Records on the item what the workflow wrote on the dossier. */
static int record(struct db *db, const struct actor *who, int64_t cid, json_t *it, const char *vote)
{
	int rc;
	json_t *d = dossier_store_get(db, who->tenant_id, cm_int(it, "dossier_id"), &rc);
	if (!d)
		return rc;
	json_t *m = json_object_get(d, "montant_accorde");
	struct commission_decision cd = {cm_str(d, "decision"),
	                                 json_is_integer(m) ? json_integer_value(m) : -1,
	                                 cm_str(d, "motif_decision"),
	                                 vote,
	                                 who->user_id,
	                                 who->label};
	rc = commission_store_item_decide(db, who->tenant_id, cm_int(it, "id"), &cd, clock_now());
	if (rc == 0)
		rc = audit_write(db, who, "decision", "commission", cid,
		                 json_pack("{s:[ns], s:[ns], s:[nO]}", "dossier",
		                           cm_str(it, "numero"), "decision", cd.decision, "montant",
		                           json_object_get(d, "montant_accorde")));
	json_decref(d);
	return rc;
}

/* One decision inside the caller's transaction. */
static int decide_item(struct db *db, const struct actor *who, json_t *session,
                       const struct decide_in *in, int batch, json_t **errors)
{
	int64_t cid = cm_int(session, "id");
	int rc;
	json_t *it = commission_store_item(db, who->tenant_id, cid, in->item_id, &rc);
	if (!it)
		return rc;
	rc = check_item(it, in->item_id, batch, errors);
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)cid);
	json_t *fields = json_pack("{s:s, s:s, s:s, s:s}", "decision", in->decision, "montant",
	                           in->montant, "motif", in->motif, "commission_id", num);
	json_t *errs = NULL;
	if (rc == 0)
		rc = workflow_transition_in(db, who, cm_int(it, "dossier_id"), "decide", fields,
		                            &errs);
	if (rc == CAS_EINVAL && errs)
		rc = refused(errors, cm_str(it, "numero"), in->item_id, batch, errs,
		             first_message(errs));
	else if (rc == CAS_ECONFLICT && batch)
		rc = refused(errors, cm_str(it, "numero"), in->item_id, batch, NULL,
		             "son état a changé entre-temps ; rechargez la page.");
	if (rc == 0)
		rc = record(db, who, cid, it, in->vote);
	json_decref(errs);
	json_decref(fields);
	json_decref(it);
	return rc;
}

/* The session, not closed; held from its first decision. */
static int hold(struct db *db, const struct actor *who, json_t *session)
{
	if (strcmp(cm_str(session, "state"), "planifiee") != 0)
		return 0;
	int64_t id = cm_int(session, "id");
	int rc =
	    commission_store_set_state(db, who->tenant_id, id, "planifiee", "tenue", clock_now());
	if (rc == 0)
		rc = audit_write(db, who, "seance_tenue", "commission", id,
		                 json_pack("{s:[ss]}", "state", "planifiee", "tenue"));
	json_object_set_new(session, "state", json_string("tenue"));
	return rc;
}

static int check_vote(const char *vote, json_t **errors)
{
	if (utf8_strlen(vote) <= VOTE_MAX)
		return 0;
	*errors = json_pack("{s:s}", "vote",
	                    "Le vote et les observations tiennent en 2 000 "
	                    "caractères au plus.");
	return CAS_EINVAL;
}

int commission_decide(struct db *db, const struct actor *who, int64_t id, int64_t item_id,
                      json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_READ) ||
	    !perm_allows(who->role, PERM_DOSSIER_DECIDE) || !who->tenant_id)
		return CAS_EPERM;
	struct decide_in d = {item_id, input_str(in, "decision"), input_str(in, "montant"),
	                      input_str(in, "motif"), input_str(in, "vote")};
	int rc = check_vote(d.vote, errors);
	if (rc != 0)
		return rc;
	rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *session = NULL;
	rc = cm_open_session(db, who, id, &session);
	if (rc == 0)
		rc = decide_item(db, who, session, &d, 0, errors);
	if (rc == 0)
		rc = hold(db, who, session);
	json_decref(session);
	return cm_finish(db, rc);
}

static int read_batch(json_t *decisions, const char *vote, struct decide_in *out, size_t n,
                      json_t **errors)
{
	if (n == 0) {
		*errors = json_pack("{s:s}", "lot", "Cochez au moins un dossier à décider.");
		return CAS_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(decisions, i);
		out[i] = (struct decide_in){input_id(o, "item_id"), input_str(o, "decision"),
		                            input_str(o, "montant"), input_str(o, "motif"), vote};
		if (!out[i].item_id)
			return CAS_ENOTFOUND;
	}
	return check_vote(vote, errors);
}

int commission_decide_batch(struct db *db, const struct actor *who, int64_t id, json_t *decisions,
                            const char *vote, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_READ) ||
	    !perm_allows(who->role, PERM_DOSSIER_DECIDE) || !who->tenant_id)
		return CAS_EPERM;
	size_t n = json_array_size(decisions);
	struct decide_in *list = xcalloc(n ? n : 1, sizeof(*list));
	int rc = read_batch(decisions, vote ? vote : "", list, n, errors);
	if (rc == 0)
		rc = db_begin(db);
	if (rc != 0) {
		free(list);
		return rc;
	}
	json_t *session = NULL;
	rc = cm_open_session(db, who, id, &session);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = decide_item(db, who, session, &list[i], 1, errors);
	if (rc == 0)
		rc = hold(db, who, session);
	json_decref(session);
	free(list);
	return cm_finish(db, rc);
}

/* ---- closing ---- */

static int check_complete(json_t *items, json_t **errors)
{
	size_t i;
	json_t *it;
	char text[300];
	if (!json_array_size(items)) {
		*errors =
		    json_pack("{s:s}", "cloture",
		              "L'ordre du jour est vide : inscrivez des dossiers avant de clore "
		              "la séance.");
		return CAS_EINVAL;
	}
	json_array_foreach(items, i, it)
	{
		if (cm_int(it, "a_rapporter") || !json_is_null(json_object_get(it, "decision")))
			continue;
		snprintf(
		    text, sizeof(text),
		    "Le dossier %s attend sa décision : décidez-le ou retirez-le de l'ordre du "
		    "jour avant de clore la séance.",
		    cm_str(it, "numero"));
		*errors = json_pack("{s:s}", "cloture", text);
		return CAS_EINVAL;
	}
	return 0;
}

static int store_minutes(struct db *db, const struct actor *who, json_t *session, int64_t now)
{
	int rc;
	int64_t id = cm_int(session, "id");
	json_t *anon = cm_anonymous_items(db, who->tenant_id, session, &rc);
	unsigned char *pdf = NULL;
	size_t n = 0;
	if (anon)
		rc = cm_minutes_render(db, who->tenant_id, session, anon, now, &pdf, &n);
	char sha[65] = "";
	if (anon && rc == 0) {
		sha256_hex(pdf, n, sha);
		struct commission_pv pv = {pdf, n, sha, who->label, now};
		rc = commission_store_pv_insert(db, who->tenant_id, id, &pv);
	}
	if (anon && rc == 0)
		rc = audit_write(db, who, "cloture", "commission", id,
		                 json_pack("{s:[ss], s:[ns]}", "state", cm_str(session, "state"),
		                           "close", "proces_verbal_sha256", sha));
	free(pdf);
	json_decref(anon);
	return rc;
}

int commission_close(struct db *db, const struct actor *who, int64_t id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *session = NULL, *items = NULL;
	int64_t now = clock_now();
	rc = cm_open_session(db, who, id, &session);
	if (rc == 0) {
		items = commission_store_items(db, who->tenant_id, id);
		rc = items ? check_complete(items, errors) : CAS_EDB;
	}
	if (rc == 0)
		rc = commission_store_set_state(db, who->tenant_id, id, cm_str(session, "state"),
		                                "close", now);
	if (rc == 0)
		rc = commission_store_clear_reported(db, who->tenant_id, id);
	if (rc == 0)
		rc = store_minutes(db, who, session, now);
	json_decref(items);
	json_decref(session);
	return cm_finish(db, rc);
}

int commission_minutes(struct db *db, const struct actor *who, int64_t id, unsigned char **pdf,
                       size_t *n)
{
	*pdf = NULL;
	*n = 0;
	if (!perm_allows(who->role, PERM_COMMISSION_READ) || !who->tenant_id)
		return CAS_EPERM;
	int rc;
	json_t *c = commission_store_get(db, who->tenant_id, id, &rc);
	if (!c)
		return rc;
	json_decref(c);
	rc = commission_store_pv(db, who->tenant_id, id, pdf, n);
	return rc == CAS_ENOTFOUND ? CAS_ECONFLICT : rc;
}
