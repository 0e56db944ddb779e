/* The workflow as the agents see it: the actions open on a dossier, the
 * CCAS's settings (four-eyes, deadlines), and "mes dossiers". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/workflow.h"
#include "app/workflow_internal.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/dossier.h"
#include "store/db.h"
#include "store/workflow_store.h"

#define MY_DOSSIERS_MAX 200
#define DELAY_MAX       365

int wf_delays(struct db *db, int64_t tenant_id, struct dossier_delays *delays, int *four_eyes)
{
	int rc;
	json_t *s = wf_store_settings(db, tenant_id, &rc);
	if (!s)
		return rc;
	delays->instruction = (int)wf_int(s, "delai_instruction");
	delays->pieces = (int)wf_int(s, "delai_pieces");
	delays->notification = (int)wf_int(s, "delai_notification");
	if (four_eyes)
		*four_eyes = wf_int(s, "quatre_yeux") != 0;
	json_decref(s);
	return 0;
}

static int day_of(int64_t t)
{
	int y, m, d;
	paris_ymd(t, &y, &m, &d);
	return day_number(y, m, d);
}

int wf_today(void)
{
	return day_of(clock_now());
}

void wf_deadline_flag(json_t *d, const struct dossier_delays *delays, int today)
{
	enum dossier_state s;
	struct dossier_deadline dl;
	char due[16];
	int y, m, day;
	if (dossier_state_from_code(wf_str(d, "state"), &s) != 0)
		return;
	dossier_deadline(s, delays, day_of(wf_int(d, "state_since")), today, &dl);
	json_object_set_new(d, "overdue", json_boolean(dl.overdue));
	if (!dl.has)
		return;
	day_date(dl.due, &y, &m, &day);
	snprintf(due, sizeof(due), "%04d-%02d-%02d", y, m, day);
	json_object_set_new(d, "due", json_string(due));
	json_object_set_new(d, "late_days", json_integer(dl.late_days));
}

/* ---- the actions open on a dossier ---- */

static const char *confirm_text(const struct dossier_transition *t)
{
	if (!t->irreversible)
		return NULL;
	switch (t->to) {
	case DS_DECIDE: return "Enregistrer cette décision ? Elle ne pourra plus être modifiée.";
	case DS_NOTIFIE:
		return "Notifier la décision au demandeur ? La notification est définitive.";
	default: return "Clôturer ce dossier ? Un dossier clôturé ne change plus.";
	}
}

static json_t *action_json(const struct dossier_transition *t, const char *refusal)
{
	json_t *a =
	    json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b}", "to", dossier_state_code(t->to),
	              "to_label", dossier_state_label(t->to), "label", t->label, "event", t->event,
	              "needs_motif", (t->requires & DT_REQ_MOTIF) != 0, "needs_proposal",
	              (t->requires & DT_REQ_PROPOSAL) != 0, "needs_decision",
	              (t->requires & DT_REQ_DECISION) != 0, "irreversible", t->irreversible);
	const char *confirm = confirm_text(t);
	if (confirm)
		json_object_set_new(a, "confirm", json_string(confirm));
	if (refusal)
		json_object_set_new(a, "refusal", json_string(refusal));
	return a;
}

json_t *workflow_available(struct db *db, const struct actor *who, const json_t *d)
{
	json_t *list = json_array();
	enum dossier_state from;
	struct dossier_facts facts;
	struct dossier_delays delays;
	int four_eyes = 1;
	if (dossier_state_from_code(wf_str(d, "state"), &from) != 0 || !who->tenant_id)
		return list;
	wf_facts(d, &facts);
	if (wf_delays(db, who->tenant_id, &delays, &four_eyes) != 0)
		four_eyes = 1;
	for (size_t i = 0; i < dossier_transition_count(); i++) {
		const struct dossier_transition *t = dossier_transition_at(i);
		if (t->from != from || !perm_allows(who->role, workflow_action_perm(t->action)) ||
		    dossier_transition_check(from, t->to, &facts, NULL) != 0)
			continue;
		int blocked = t->action == DA_DECIDER && four_eyes && wf_same_person(who, d);
		json_array_append_new(
		    list, action_json(t, blocked ? "Vous avez instruit ce dossier : la décision "
		                                   "revient à une autre personne (principe des "
		                                   "quatre yeux)."
		                                 : NULL));
	}
	return list;
}

/* ---- settings ---- */

json_t *workflow_settings_get(struct db *db, const struct actor *who, int *err)
{
	struct dossier_delays delays;
	int four_eyes = 1;
	*err = who->tenant_id ? 0 : CAS_EPERM;
	if (*err == 0)
		*err = wf_delays(db, who->tenant_id, &delays, &four_eyes);
	if (*err != 0)
		return NULL;
	return json_pack("{s:b, s:i, s:i, s:i}", "quatre_yeux", four_eyes, "delai_instruction",
	                 delays.instruction, "delai_pieces", delays.pieces, "delai_notification",
	                 delays.notification);
}

/* A delay in days when present (JSON integer or digits), else `keep`. */
static int read_delay(const json_t *in, const char *key, int keep, json_t *errs)
{
	json_t *v = json_object_get(in, key);
	const char *s = json_string_value(v);
	char *end = NULL;
	long n = -1;
	if (!v)
		return keep;
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (s && *s >= '0' && *s <= '9' && strlen(s) <= 3)
		n = strtol(s, &end, 10);
	if ((end && *end) || n < 0 || n > DELAY_MAX) {
		input_error((json_t *)errs, key,
		            "Indiquez un nombre de jours entre 0 (aucun délai) et 365.");
		return keep;
	}
	return (int)n;
}

/* quatre_yeux when present ("1", "on", "true" or a JSON boolean); a form
 * that shows the checkbox sends quatre_yeux_affiche, so that an unchecked
 * box means off; otherwise `keep`. */
static int read_flag(const json_t *in, int keep)
{
	json_t *v = json_object_get(in, "quatre_yeux");
	const char *s = json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (s)
		return strcmp(s, "1") == 0 || strcmp(s, "on") == 0 || strcmp(s, "true") == 0;
	return json_object_get(in, "quatre_yeux_affiche") ? 0 : keep;
}

json_t *workflow_settings_errors(const json_t *in)
{
	json_t *errs = json_object();
	read_delay(in, "delai_instruction", 0, errs);
	read_delay(in, "delai_pieces", 0, errs);
	read_delay(in, "delai_notification", 0, errs);
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

static json_t *settings_after(const json_t *in, const json_t *before, json_t *errs)
{
	return json_pack(
	    "{s:b, s:i, s:i, s:i}", "quatre_yeux",
	    read_flag(in, json_is_true(json_object_get(before, "quatre_yeux"))),
	    "delai_instruction",
	    read_delay(in, "delai_instruction", (int)wf_int(before, "delai_instruction"), errs),
	    "delai_pieces",
	    read_delay(in, "delai_pieces", (int)wf_int(before, "delai_pieces"), errs),
	    "delai_notification",
	    read_delay(in, "delai_notification", (int)wf_int(before, "delai_notification"), errs));
}

int workflow_settings_update(struct db *db, const struct actor *who, const json_t *in,
                             json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	json_t *before = rc == 0 ? workflow_settings_get(db, who, &rc) : NULL;
	if (!before) {
		db_rollback(db);
		return rc;
	}
	json_t *errs = json_object();
	json_t *after = settings_after(in, before, errs);
	json_t *changes = json_object();
	audit_diff(changes, before, after);
	if (json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	if (rc == 0)
		rc = wf_store_settings_set(
		    db, who->tenant_id, json_is_true(json_object_get(after, "quatre_yeux")),
		    (int)wf_int(after, "delai_instruction"), (int)wf_int(after, "delai_pieces"),
		    (int)wf_int(after, "delai_notification"));
	if (rc == 0 && json_object_size(changes)) {
		rc = audit_write(db, who, "parametres_instruction", "tenant", who->tenant_id,
		                 changes);
		changes = NULL;
	}
	json_decref(changes);
	json_decref(errs);
	json_decref(before);
	json_decref(after);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* ---- mes dossiers ---- */

static const char *waiting_text(const json_t *d)
{
	static const char *const texts[DS_COUNT] = {
	    [DS_BROUILLON] = "À déposer",
	    [DS_DEPOSE] = "À prendre en charge",
	    [DS_EN_INSTRUCTION] = "Instruction à terminer",
	    [DS_EN_ATTENTE_PIECES] = "Pièces attendues du demandeur",
	    [DS_INSTRUIT] = "À inscrire à la commission",
	    [DS_EN_COMMISSION] = "Décision à prendre",
	    [DS_DECIDE] = "Décision à notifier",
	    [DS_NOTIFIE] = "À mettre en paiement ou à clôturer",
	    [DS_PAIEMENT] = "À clôturer une fois l'aide versée",
	};
	enum dossier_state s;
	if (dossier_state_from_code(wf_str(d, "state"), &s) != 0 || !texts[s])
		return "";
	if (s == DS_INSTRUIT && wf_int(d, "aide_urgence"))
		return "Décision d'urgence à prendre";
	return texts[s];
}

static void add_assigned(struct wf_waiting *w, int *n, const struct actor *who, enum perm p,
                         enum dossier_state s)
{
	if (*n < 8 && perm_allows(who->role, p))
		w->assigned[(*n)++] = dossier_state_code(s);
}

static void waiting_for(const struct actor *who, int four_eyes, struct wf_waiting *w)
{
	int n = 0;
	memset(w, 0, sizeof(*w));
	w->user_id = who->user_id;
	w->deposit = perm_allows(who->role, PERM_DOSSIER_DEPOSIT);
	w->decide = perm_allows(who->role, PERM_DOSSIER_DECIDE);
	w->four_eyes = four_eyes;
	w->limit = MY_DOSSIERS_MAX;
	add_assigned(w, &n, who, PERM_DOSSIER_INSTRUCT, DS_DEPOSE);
	add_assigned(w, &n, who, PERM_DOSSIER_INSTRUCT, DS_EN_INSTRUCTION);
	add_assigned(w, &n, who, PERM_DOSSIER_INSTRUCT, DS_EN_ATTENTE_PIECES);
	add_assigned(w, &n, who, PERM_DOSSIER_SEND_COMMISSION, DS_INSTRUIT);
	add_assigned(w, &n, who, PERM_DOSSIER_NOTIFY, DS_DECIDE);
	add_assigned(w, &n, who, PERM_DOSSIER_CLOSE, DS_NOTIFIE);
	add_assigned(w, &n, who, PERM_DOSSIER_CLOSE, DS_PAIEMENT);
}

static int overdue_first(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int ox = json_is_true(json_object_get(x, "overdue"));
	int oy = json_is_true(json_object_get(y, "overdue"));
	if (ox != oy)
		return oy - ox;
	int64_t lx = wf_int(x, "late_days"), ly = wf_int(y, "late_days");
	if (lx != ly)
		return lx < ly ? 1 : -1;
	int64_t ix = wf_int(x, "rank"), iy = wf_int(y, "rank");
	return (ix > iy) - (ix < iy);
}

/* Sorts the rows overdue first (the most late first), then as they came. */
static json_t *sorted(json_t *rows)
{
	size_t n = json_array_size(rows);
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	json_t *out = json_array();
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++) {
		v[i] = json_array_get(rows, i);
		json_object_set_new(v[i], "rank", json_integer((json_int_t)i));
	}
	qsort(v, n, sizeof(*v), overdue_first);
	for (size_t i = 0; i < n; i++) {
		json_object_del(v[i], "rank");
		json_array_append(out, v[i]);
	}
	free(v);
	json_decref(rows);
	return out;
}

json_t *workflow_my_dossiers(struct db *db, const struct actor *who, int *err)
{
	struct dossier_delays delays;
	struct wf_waiting w;
	int four_eyes = 1;
	*err = perm_allows(who->role, PERM_DOSSIER_READ) && who->tenant_id ? 0 : CAS_EPERM;
	if (*err == 0)
		*err = wf_delays(db, who->tenant_id, &delays, &four_eyes);
	if (*err != 0)
		return NULL;
	waiting_for(who, four_eyes, &w);
	json_t *rows = wf_store_waiting(db, who->tenant_id, &w);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	int today = wf_today();
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		enum dossier_state s = DS_BROUILLON;
		dossier_state_from_code(wf_str(d, "state"), &s);
		json_object_set_new(d, "state_label", json_string(dossier_state_label(s)));
		json_object_set_new(d, "waiting", json_string(waiting_text(d)));
		wf_deadline_flag(d, &delays, today);
	}
	return sorted(rows);
}

/* ---- the emergency short path of an aid type ---- */

int workflow_aid_urgence(struct db *db, const struct actor *who, int64_t aid_type_id, int *on)
{
	if (!who->tenant_id)
		return CAS_EPERM;
	return wf_store_aid_urgence(db, who->tenant_id, aid_type_id, on);
}

int workflow_aid_urgence_set(struct db *db, const struct actor *who, int64_t aid_type_id, int on)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	int before = 0, rc = db_begin(db);
	if (rc == 0)
		rc = wf_store_aid_urgence(db, who->tenant_id, aid_type_id, &before);
	if (rc == 0 && before != (on != 0)) {
		rc = wf_store_aid_urgence_set(db, who->tenant_id, aid_type_id, on);
		if (rc == 0)
			rc = audit_write(db, who, "procedure_urgence", "aid_type", aid_type_id,
			                 json_pack("{s:[b, b]}", "urgence", before, on != 0));
	}
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
