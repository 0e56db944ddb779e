/* The change of state of a dossier: checks (life cycle, permission,
 * four-eyes, fields), then one conditional UPDATE, the timeline entry and
 * the audit entry, in one transaction. */
#include "app/workflow.h"

#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/budgets.h"
#include "app/input.h"
#include "app/letters.h"
#include "app/workflow_internal.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/utf8.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/workflow_store.h"

#define TEXT_MAX 4000 /* characters of a motif or an appreciation */

static const char msg_four_eyes[] =
    "Vous avez instruit ce dossier : la décision revient à une autre personne (principe des "
    "quatre yeux).";

enum perm workflow_action_perm(enum dossier_action a)
{
	static const enum perm perms[DA_COUNT] = {
	    [DA_DEPOSER] = PERM_DOSSIER_DEPOSIT,
	    [DA_INSTRUIRE] = PERM_DOSSIER_INSTRUCT,
	    [DA_DEMANDER_PIECES] = PERM_DOSSIER_REQUEST_DOCS,
	    [DA_PROPOSER] = PERM_DOSSIER_PROPOSE,
	    [DA_ENVOYER_COMMISSION] = PERM_DOSSIER_SEND_COMMISSION,
	    [DA_DECIDER] = PERM_DOSSIER_DECIDE,
	    [DA_NOTIFIER] = PERM_DOSSIER_NOTIFY,
	    [DA_PAYER] = PERM_DOSSIER_PAY,
	    [DA_CLOTURER] = PERM_DOSSIER_CLOSE,
	};
	return (unsigned)a < DA_COUNT ? perms[a] : PERM__COUNT;
}

const char *wf_str(const json_t *d, const char *key)
{
	const char *s = json_string_value(json_object_get(d, key));
	return s ? s : "";
}

int64_t wf_int(const json_t *d, const char *key)
{
	return json_integer_value(json_object_get(d, key));
}

void wf_facts(const json_t *d, struct dossier_facts *f)
{
	enum dossier_decision dec;
	f->urgence = wf_int(d, "aide_urgence") != 0;
	f->decision = dossier_decision_from_code(wf_str(d, "decision"), &dec) == 0 ? (int)dec : -1;
}

int wf_same_person(const struct actor *who, const json_t *d)
{
	int64_t by = wf_int(d, "instructed_by"), key = wf_int(d, "instructed_key_id");
	return (who->user_id && by == who->user_id) || (who->api_key_id && key == who->api_key_id);
}

/* ---- the fields ---- */

/* What a transition needs, read from the fields. */
struct wf_input {
	const char *motif, *appreciation, *commission;
	int proposal, decision; /* enum values or -1 */
	int64_t montant;        /* -1 when absent */
	int64_t evaluation_id;
};

static const char *field(const json_t *fields, const char *key)
{
	const char *s = json_string_value(json_object_get(fields, key));
	return s ? s : "";
}

static void read_text(const json_t *fields, const char *key, const char **out, const char *msg,
                      json_t *errs)
{
	*out = field(fields, key);
	if (!**out || utf8_strlen(*out) > TEXT_MAX)
		input_error(errs, key, msg);
}

/* "montant" ("1 234,56") or "montant_centimes" (integer or digits). */
static void read_amount(const json_t *fields, struct wf_input *in, const char *msg, json_t *errs)
{
	json_t *c = json_object_get(fields, "montant_centimes");
	const char *why = NULL;
	if (json_is_integer(c)) {
		in->montant = json_integer_value(c);
		if (in->montant <= 0 || in->montant > MONEY_MAX_CENTS)
			input_error(errs, "montant_centimes", msg);
		return;
	}
	if (money_parse(field(fields, "montant"), &in->montant, &why) != 0 || in->montant <= 0) {
		in->montant = -1;
		input_error(errs, "montant", why && *field(fields, "montant") ? why : msg);
	}
}

static void read_proposal(const json_t *fields, struct wf_input *in, json_t *errs)
{
	enum dossier_proposal p;
	if (dossier_proposal_from_code(field(fields, "proposition"), &p) != 0)
		input_error(errs, "proposition",
		            "Choisissez la proposition : accord, refus ou "
		            "ajournement.");
	else
		in->proposal = (int)p;
	read_text(fields, "appreciation", &in->appreciation,
	          "Écrivez votre appréciation de la situation (4 000 caractères au plus).", errs);
	if (in->proposal == DP_ACCORD)
		read_amount(fields, in, "Indiquez le montant proposé, supérieur à zéro.", errs);
	in->evaluation_id = input_id((json_t *)fields, "evaluation_id");
	if (*field(fields, "evaluation_id") && !in->evaluation_id)
		input_error(errs, "evaluation_id", "Choisissez une évaluation de ce dossier.");
}

static void read_decision(const json_t *fields, struct wf_input *in, json_t *errs)
{
	enum dossier_decision dd;
	if (dossier_decision_from_code(field(fields, "decision"), &dd) != 0) {
		input_error(errs, "decision",
		            "Choisissez la décision : accordé, refusé, ajourné ou "
		            "classé sans suite.");
		return;
	}
	in->decision = (int)dd;
	if (dd == DD_ACCORDE)
		read_amount(fields, in, "Indiquez le montant accordé, supérieur à zéro.", errs);
	else if (dd == DD_REFUSE || dd == DD_AJOURNE)
		read_text(fields, "motif", &in->motif,
		          dd == DD_REFUSE
		              ? "Indiquez le motif du refus : il figure dans la lettre."
		              : "Indiquez le motif de l'ajournement : il figure dans la "
		                "lettre.",
		          errs);
	else
		in->motif = field(fields, "motif");
}

static const char *motif_message(enum dossier_state to)
{
	if (to == DS_EN_ATTENTE_PIECES)
		return "Indiquez les pièces demandées au demandeur.";
	if (to == DS_CLOTURE)
		return "Indiquez pourquoi le dossier est classé sans suite.";
	return "Indiquez pourquoi l'instruction reprend.";
}

static void read_fields(const struct dossier_transition *t, const json_t *fields,
                        struct wf_input *in, json_t *errs)
{
	memset(in, 0, sizeof(*in));
	in->proposal = in->decision = -1;
	in->montant = -1;
	in->motif = field(fields, "motif");
	in->commission = field(fields, "commission_id");
	if (t->requires & DT_REQ_MOTIF)
		read_text(fields, "motif", &in->motif, motif_message(t->to), errs);
	if (t->requires & DT_REQ_PROPOSAL)
		read_proposal(fields, in, errs);
	if (t->requires & DT_REQ_DECISION)
		read_decision(fields, in, errs);
	if (utf8_strlen(in->motif) > TEXT_MAX)
		input_error(errs, "motif", "Le motif tient en 4 000 caractères au plus.");
}

/* ---- checks ---- */

static int refuse(json_t **errors, const char *key, const char *msg)
{
	*errors = json_pack("{s:s}", key, msg);
	return CAS_EINVAL;
}

/* The evaluation of the proposal: the one given (of this dossier) or the
 * latest. */
static int check_evaluation(struct db *db, const struct actor *who, int64_t id, struct wf_input *in,
                            json_t *errs)
{
	if (!in->evaluation_id)
		return wf_store_latest_evaluation(db, who->tenant_id, id, &in->evaluation_id);
	int rc = wf_store_evaluation_of(db, who->tenant_id, id, in->evaluation_id);
	if (rc == 0)
		input_error(errs, "evaluation_id", "Choisissez une évaluation de ce dossier.");
	return rc < 0 ? rc : 0;
}

static int four_eyes_on(struct db *db, const struct actor *who, int *on)
{
	int rc;
	json_t *s = wf_store_settings(db, who->tenant_id, &rc);
	if (!s)
		return rc;
	*on = wf_int(s, "quatre_yeux") != 0;
	json_decref(s);
	return 0;
}

/* Life cycle, permission and four-eyes; *t the transition on success. */
static int check_move(struct db *db, const struct actor *who, const json_t *d,
                      enum dossier_state to, const struct dossier_transition **t, json_t **errors)
{
	enum dossier_state from = DS_BROUILLON;
	struct dossier_facts facts;
	const char *why = NULL;
	dossier_state_from_code(wf_str(d, "state"), &from);
	wf_facts(d, &facts);
	*t = dossier_transition_find(from, to);
	if (*t && !perm_allows(who->role, workflow_action_perm((*t)->action)))
		return CAS_EPERM;
	if (dossier_transition_check(from, to, &facts, &why) != 0)
		return refuse(errors, "to", why);
	if ((*t)->action != DA_DECIDER || !wf_same_person(who, d))
		return 0;
	int on = 1, rc = four_eyes_on(db, who, &on);
	if (rc != 0)
		return rc;
	return on ? refuse(errors, "to", msg_four_eyes) : 0;
}

/* ---- writing ---- */

static void set_instructor(struct wf_row *r, const struct actor *who, int64_t now)
{
	r->instructed_by = who->user_id;
	r->instructed_key_id = who->api_key_id;
	r->instructed_by_label = who->label;
	r->instructed_at = now;
}

static void set_decider(struct wf_row *r, const struct actor *who, int64_t now)
{
	r->decided_by = who->user_id;
	r->decided_key_id = who->api_key_id;
	r->decided_by_label = who->label;
	r->decided_at = now;
}

static void clear_proposal(struct wf_row *r)
{
	r->proposition = r->appreciation = r->instructed_by_label = NULL;
	r->montant_propose = -1;
	r->evaluation_id = r->instructed_by = r->instructed_key_id = r->instructed_at = 0;
}

static void clear_decision(struct wf_row *r)
{
	r->decision = r->motif_decision = r->decided_by_label = NULL;
	r->montant_accorde = -1;
	r->decided_by = r->decided_key_id = r->decided_at = r->notified_at = 0;
}

static int64_t nullable(const json_t *d, const char *key)
{
	json_t *v = json_object_get(d, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *text_or_null(const json_t *d, const char *key)
{
	return json_string_value(json_object_get(d, key));
}

/* The columns as they are (before the transition). */
static void row_from(const json_t *d, struct wf_row *r)
{
	r->depose_le = text_or_null(d, "depose_le");
	r->agent_id = wf_int(d, "agent_id");
	r->proposition = text_or_null(d, "proposition");
	r->montant_propose = nullable(d, "montant_propose");
	r->appreciation = text_or_null(d, "appreciation");
	r->evaluation_id = wf_int(d, "evaluation_id");
	r->instructed_by = wf_int(d, "instructed_by");
	r->instructed_key_id = wf_int(d, "instructed_key_id");
	r->instructed_by_label = text_or_null(d, "instructed_by_label");
	r->instructed_at = wf_int(d, "instructed_at");
	r->decision = text_or_null(d, "decision");
	r->montant_accorde = nullable(d, "montant_accorde");
	r->motif_decision = text_or_null(d, "motif_decision");
	r->decided_by = wf_int(d, "decided_by");
	r->decided_key_id = wf_int(d, "decided_key_id");
	r->decided_by_label = text_or_null(d, "decided_by_label");
	r->decided_at = wf_int(d, "decided_at");
	r->notified_at = wf_int(d, "notified_at");
	r->a_rapporter = (int)wf_int(d, "a_rapporter");
}

/* The columns after transition t with input in. today: 'YYYY-MM-DD'. */
static void row_after(const struct dossier_transition *t, const struct actor *who,
                      const struct wf_input *in, const char *today, int64_t now, struct wf_row *r)
{
	r->state = dossier_state_code(t->to);
	r->state_since = now;
	if (t->to == DS_DEPOSE)
		r->depose_le = today;
	if (t->to == DS_EN_INSTRUCTION && t->from != DS_EN_ATTENTE_PIECES) {
		if (t->from == DS_DEPOSE || !r->agent_id)
			r->agent_id = who->user_id;
		clear_proposal(r);
		clear_decision(r);
	}
	if (t->to == DS_INSTRUIT && t->from == DS_EN_INSTRUCTION) {
		r->proposition = dossier_proposal_code((enum dossier_proposal)in->proposal);
		r->montant_propose = in->proposal == DP_ACCORD ? in->montant : -1;
		r->appreciation = in->appreciation;
		r->evaluation_id = in->evaluation_id;
		set_instructor(r, who, now);
		if (!r->agent_id)
			r->agent_id = who->user_id;
	}
	if (t->to == DS_DECIDE) {
		r->decision = dossier_decision_code((enum dossier_decision)in->decision);
		r->montant_accorde = in->decision == DD_ACCORDE ? in->montant : -1;
		r->motif_decision = *in->motif ? in->motif : NULL;
		set_decider(r, who, now);
		r->a_rapporter = t->from == DS_INSTRUIT;
	}
	if (t->to == DS_NOTIFIE)
		r->notified_at = now;
	if (t->to == DS_CLOTURE && !r->decision) { /* classement sans suite */
		r->decision = dossier_decision_code(DD_SANS_SUITE);
		r->motif_decision = in->motif;
		set_decider(r, who, now);
	}
}

static void append(char *buf, size_t size, const char *prefix, const char *text, const char *suffix)
{
	size_t n = strlen(buf);
	if (n < size)
		snprintf(buf + n, size - n, "\n%s%s%s", prefix, text, suffix);
}

/* The timeline entry: what happened and what was said. */
static void timeline_text(const struct dossier_transition *t, const struct wf_input *in, char *buf,
                          size_t size)
{
	char amount[MONEY_FMT_SIZE] = "";
	snprintf(buf, size, "%s", t->done);
	if (in->proposal >= 0)
		append(buf, size, "Proposition : ",
		       dossier_proposal_label((enum dossier_proposal)in->proposal), ".");
	if (in->decision >= 0)
		append(buf, size,
		       "Décision : ", dossier_decision_label((enum dossier_decision)in->decision),
		       ".");
	if (in->montant > 0) {
		money_format(in->montant, amount, sizeof(amount));
		append(buf, size, "Montant : ", amount, ".");
	}
	if (in->appreciation && *in->appreciation)
		append(buf, size, "Appréciation : ", in->appreciation, "");
	if (*in->motif)
		append(buf, size,
		       t->to == DS_EN_ATTENTE_PIECES ? "Pièces demandées : " : "Motif : ",
		       in->motif, "");
	if (*in->commission)
		append(buf, size, "Commission n° ", in->commission, ".");
}

static json_t *audit_changes(const json_t *d, const struct wf_row *r)
{
	json_t *before =
	    json_pack("{s:s, s:s?, s:s?, s:s?}", "state", wf_str(d, "state"), "proposition",
	              text_or_null(d, "proposition"), "decision", text_or_null(d, "decision"),
	              "depose_le", text_or_null(d, "depose_le"));
	json_t *after =
	    json_pack("{s:s, s:s?, s:s?, s:s?}", "state", r->state, "proposition", r->proposition,
	              "decision", r->decision, "depose_le", r->depose_le);
	json_t *changes = json_object();
	audit_diff(changes, before, after);
	if (r->montant_propose != nullable(d, "montant_propose"))
		json_object_set_new(changes, "montant_propose",
		                    json_pack("[O, I]", json_object_get(d, "montant_propose"),
		                              (json_int_t)r->montant_propose));
	if (r->montant_accorde != nullable(d, "montant_accorde"))
		json_object_set_new(changes, "montant_accorde",
		                    json_pack("[O, I]", json_object_get(d, "montant_accorde"),
		                              (json_int_t)r->montant_accorde));
	json_decref(before);
	json_decref(after);
	return changes;
}

static int write_move(struct db *db, const struct actor *who, const json_t *d,
                      const struct dossier_transition *t, const struct wf_input *in)
{
	int64_t now = clock_now(), id = wf_int(d, "id");
	char today[11], detail[TEXT_MAX * 2 + 512];
	struct wf_row r;
	paris_date_iso(now, today);
	row_from(d, &r);
	row_after(t, who, in, today, now, &r);
	timeline_text(t, in, detail, sizeof(detail));
	int rc = wf_store_apply(db, who->tenant_id, id, wf_str(d, "state"), &r, now);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                                t->event, detail, now);
	if (rc == 0)
		rc = audit_write(db, who, "changement_etat", "dossier", id, audit_changes(d, &r));
	/* hooks of the other modules, one call line each (letters, budget) */
	if (rc == 0)
		rc = letters_on_transition(db, who, id, r.state);
	return rc;
}

int workflow_transition_in(struct db *db, const struct actor *who, int64_t dossier_id,
                           const char *to_state, const json_t *fields, json_t **errors)
{
	*errors = NULL;
	enum dossier_state to;
	if (!who->tenant_id)
		return CAS_EPERM;
	int rc; /* an unknown dossier is a 404 first */
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
	if (!d)
		return rc;
	const struct dossier_transition *t = NULL;
	if (dossier_state_from_code(to_state, &to) != 0)
		rc = refuse(errors, "to", "Choisissez un état de la liste.");
	else
		rc = check_move(db, who, d, to, &t, errors);
	struct wf_input in;
	json_t *errs = json_object();
	if (rc == 0)
		read_fields(t, fields, &in, errs);
	if (rc == 0 && (t->requires & DT_REQ_PROPOSAL) && !json_object_size(errs))
		rc = check_evaluation(db, who, dossier_id, &in, errs);
	/* the budget envelope, checked under its lock (app/budgets.h) */
	if (rc == 0 && t->to == DS_DECIDE && in.decision == DD_ACCORDE && !json_object_size(errs))
		rc = budget_decision_check(db, who, d, in.montant, errs);
	if (rc == 0 && json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	json_decref(errs);
	if (rc == 0)
		rc = write_move(db, who, d, t, &in);
	json_decref(d);
	return rc;
}

int workflow_transition(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *to_state, const json_t *fields, json_t **errors)
{
	*errors = NULL;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = workflow_transition_in(db, who, dossier_id, to_state, fields, errors);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
