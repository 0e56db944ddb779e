#include "app/dossiers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/workflow.h"
#include "app/workflow_internal.h"
#include "base/clock.h"
#include "base/fr_time.h"
#include "base/err.h"
#include "base/utf8.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "store/aid_type_store.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/household_store.h"

#define MOTIF_MAX      2000 /* characters */
#define NOTE_MAX       4000
#define LINE_LABEL_MAX 200

static const char msg_closed[] = "Un dossier clôturé ne peut plus être modifié.";
/* An amount as text in in[text_key] ("1 234,56") or integer cents in
 * in[cents_key] (which wins when present). */
static void read_money(json_t *in, const char *text_key, const char *cents_key, int64_t *out,
                       json_t *errors)
{
	json_t *c = json_object_get(in, cents_key);
	if (c) {
		json_int_t v = json_integer_value(c);
		if (!json_is_integer(c) || v < 0 || v > MONEY_MAX_CENTS)
			input_error(errors, cents_key,
			            "Indiquez le montant en centimes : un nombre entier de 0 à "
			            "10000000000.");
		else
			*out = v;
		return;
	}
	const char *why = NULL;
	if (money_parse(input_str(in, text_key), out, &why) != 0)
		input_error(errors, text_key, why ? why : "Montant invalide.");
}

static void read_motif(json_t *in, json_t *errors)
{
	const char *motif = input_str(in, "motif");
	if (!*motif || utf8_strlen(motif) > MOTIF_MAX)
		input_error(errors, "motif",
		            "Indiquez le motif de la demande (2 000 caractères au plus).");
}

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static enum dossier_state state_of(json_t *d)
{
	enum dossier_state s = DS_BROUILLON;
	dossier_state_from_code(json_string_value(json_object_get(d, "state")), &s);
	return s;
}

static json_int_t int_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ---- creation ---- */

struct new_dossier {
	int64_t household_id, applicant_id, aid_type_id, montant;
	char aide[256];
};

/* The current demandeur of the household, or the given applicant when a
 * current member; 0 when neither. */
static int pick_applicant(struct db *db, int64_t tenant, int64_t hid, int64_t given, int64_t *out)
{
	json_t *members = household_store_members(db, tenant, hid);
	if (!members)
		return CAS_EDB;
	size_t i;
	json_t *m;
	*out = 0;
	json_array_foreach(members, i, m)
	{
		if (json_is_string(json_object_get(m, "date_sortie")))
			continue;
		int64_t pid = int_of(m, "person_id");
		const char *rel = json_string_value(json_object_get(m, "relation"));
		if ((given && pid == given) || (!given && strcmp(rel, "demandeur") == 0))
			*out = pid;
	}
	json_decref(members);
	return 0;
}

static int check_household(struct db *db, const struct actor *who, json_t *in,
                           struct new_dossier *nd, json_t *errs)
{
	int rc;
	nd->household_id = input_id(in, "household_id");
	json_t *h = nd->household_id
	                ? household_store_get(db, who->tenant_id, nd->household_id, &rc)
	                : NULL;
	if (!h) {
		input_error(errs, "household_id", "Choisissez le foyer du demandeur.");
		return nd->household_id && rc != CAS_ENOTFOUND ? rc : 0;
	}
	json_decref(h);
	int64_t given = input_id(in, "applicant_id");
	if (*input_str(in, "applicant_id") && !given)
		given = -1;
	rc = pick_applicant(db, who->tenant_id, nd->household_id, given, &nd->applicant_id);
	if (rc == 0 && !nd->applicant_id)
		input_error(errs, "applicant_id",
		            given ? "Le demandeur doit être un membre actuel du foyer."
		                  : "Le foyer n'a pas de demandeur actuel.");
	return rc;
}

static int check_aid_type(struct db *db, const struct actor *who, json_t *in,
                          struct new_dossier *nd, json_t *errs)
{
	int rc = CAS_ENOTFOUND;
	nd->aid_type_id = input_id(in, "aid_type_id");
	json_t *t =
	    nd->aid_type_id ? aid_type_store_get(db, who->tenant_id, nd->aid_type_id, &rc) : NULL;
	if (!t && rc != CAS_ENOTFOUND)
		return rc;
	if (!t || !int_of(t, "active"))
		input_error(errs, "aid_type_id", "Choisissez une aide du catalogue en vigueur.");
	else
		snprintf(nd->aide, sizeof(nd->aide), "%s",
		         json_string_value(json_object_get(t, "label")));
	json_decref(t);
	return 0;
}

/* One attempt at numbering and inserting, in its own transaction. */
static int insert_dossier(struct db *db, const struct actor *who, const struct new_dossier *nd,
                          const char *motif, int64_t *id)
{
	int64_t now = clock_now(), seq = 0;
	int y, m, d;
	paris_ymd(now, &y, &m, &d);
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = dossier_store_last_seq(db, who->tenant_id, y, &seq);
	char numero[32], amount[MONEY_FMT_SIZE], detail[400];
	snprintf(numero, sizeof(numero), "%04d-%05lld", y, (long long)seq + 1);
	struct dossier_row row = {numero, nd->household_id, nd->applicant_id, nd->aid_type_id,
	                          motif,  nd->montant,      "brouillon",      who->user_id};
	if (rc == 0)
		rc = dossier_store_insert(db, who->tenant_id, &row, now, id);
	money_format(nd->montant, amount, sizeof(amount));
	snprintf(detail, sizeof(detail), "Dossier ouvert (brouillon) : %s, %s demandés.", nd->aide,
	         amount);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, *id, who->user_id, who->label,
		                                "creation", detail, now);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "dossier", *id,
		                 json_pack("{s:[ns], s:[nI], s:[nI], s:[nI], s:[nI], s:[ns]}",
		                           "numero", numero, "household_id",
		                           (json_int_t)nd->household_id, "applicant_id",
		                           (json_int_t)nd->applicant_id, "aid_type_id",
		                           (json_int_t)nd->aid_type_id, "montant_demande",
		                           (json_int_t)nd->montant, "state", "brouillon"));
	return finish(db, rc);
}

int dossier_create(struct db *db, const struct actor *who, json_t *in, int64_t *id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_CREATE) || !who->tenant_id)
		return CAS_EPERM;
	struct new_dossier nd = {0};
	json_t *errs = json_object();
	int rc = check_household(db, who, in, &nd, errs);
	if (rc == 0)
		rc = check_aid_type(db, who, in, &nd, errs);
	read_motif(in, errs);
	read_money(in, "montant_demande", "montant_demande_centimes", &nd.montant, errs);
	if (rc == 0 && json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	if (rc != 0)
		return rc;
	rc = insert_dossier(db, who, &nd, input_str(in, "motif"), id);
	if (rc == CAS_ECONFLICT) /* another dossier took the number: once more */
		rc = insert_dossier(db, who, &nd, input_str(in, "motif"), id);
	return rc;
}

/* ---- changes ---- */

struct change {
	const char *motif;
	int64_t montant;
	enum dossier_state from;
};

static int may_edit_header(const struct actor *who, enum dossier_state s)
{
	return perm_allows(who->role, PERM_DOSSIER_INSTRUCT) ||
	       (perm_allows(who->role, PERM_DOSSIER_CREATE) && s == DS_BROUILLON);
}

/* Validates the header changes of in against dossier d into c; CAS_EPERM
 * when the actor may not make them. The state goes through the workflow. */
static int read_changes(const struct actor *who, json_t *d, json_t *in, struct change *c,
                        json_t *errs)
{
	int has_motif = input_has(in, "motif");
	int has_amount =
	    input_has(in, "montant_demande") || input_has(in, "montant_demande_centimes");
	c->from = state_of(d);
	c->motif = json_string_value(json_object_get(d, "motif"));
	c->montant = int_of(d, "montant_demande");
	if ((has_motif || has_amount) && !may_edit_header(who, c->from))
		return CAS_EPERM;
	if (has_motif) {
		read_motif(in, errs);
		c->motif = input_str(in, "motif");
	}
	if (has_amount)
		read_money(in, "montant_demande", "montant_demande_centimes", &c->montant, errs);
	if (c->from == DS_CLOTURE && has_motif)
		json_object_set_new(errs, "motif", json_string(msg_closed));
	if (c->from == DS_CLOTURE && has_amount)
		input_error(errs,
		            input_has(in, "montant_demande_centimes") ? "montant_demande_centimes"
		                                                      : "montant_demande",
		            msg_closed);
	return 0;
}

static int write_events(struct db *db, const struct actor *who, json_t *d, int64_t id,
                        const struct change *c, int64_t now)
{
	int rc = 0;
	char detail[300], a[MONEY_FMT_SIZE], b[MONEY_FMT_SIZE];
	if (strcmp(c->motif, json_string_value(json_object_get(d, "motif"))) != 0)
		rc =
		    dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                               "modification", "Motif de la demande modifié.", now);
	if (rc == 0 && c->montant != int_of(d, "montant_demande")) {
		money_format(int_of(d, "montant_demande"), a, sizeof(a));
		money_format(c->montant, b, sizeof(b));
		snprintf(detail, sizeof(detail), "Montant demandé modifié : %s → %s.", a, b);
		rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                                "modification", detail, now);
	}
	return rc;
}

/* Inside the caller's transaction. */
static int apply_changes(struct db *db, const struct actor *who, json_t *d, int64_t id,
                         const struct change *c)
{
	json_t *after =
	    json_pack("{s:s, s:I}", "motif", c->motif, "montant_demande", (json_int_t)c->montant);
	json_t *changes = json_object();
	audit_diff(changes, d, after);
	json_decref(after);
	if (!json_object_size(changes)) {
		json_decref(changes);
		return 0;
	}
	int64_t now = clock_now();
	int rc = dossier_store_update(db, who->tenant_id, id, c->motif, c->montant,
	                              json_string_value(json_object_get(d, "state")), now);
	if (rc == 0)
		rc = write_events(db, who, d, id, c, now);
	if (rc == 0)
		rc = audit_write(db, who, "modification", "dossier", id, changes);
	else
		json_decref(changes);
	return rc;
}

/* The header changes, then the change of state (app/workflow.c, with no
 * field: transitions that need some go through workflow_transition). */
static int update_in(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors)
{
	int rc;
	json_t *d = dossier_store_get(db, who->tenant_id, id, &rc);
	if (!d)
		return rc;
	struct change c = {0};
	json_t *errs = json_object();
	rc = read_changes(who, d, in, &c, errs);
	if (rc == 0 && json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	json_decref(errs);
	if (rc == 0)
		rc = apply_changes(db, who, d, id, &c);
	json_decref(d);
	if (rc != 0 || !input_has(in, "etat"))
		return rc;
	rc = workflow_transition_in(db, who, id, input_str(in, "etat"), NULL, errors);
	if (rc == CAS_EINVAL && json_object_get(*errors, "to")) { /* the field is "etat" here */
		json_object_set(*errors, "etat", json_object_get(*errors, "to"));
		json_object_del(*errors, "to");
	}
	return rc;
}

/* The dossier is read inside the write transaction, so that the changes are
 * checked against its current state, not one that another agent has just
 * changed. */
int dossier_update(struct db *db, const struct actor *who, int64_t id, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_READ))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	return finish(db, update_in(db, who, id, in, errors));
}

/* 0 when the dossier exists in the actor's tenant and is not closed;
 * CAS_ENOTFOUND or CAS_ECONFLICT otherwise. Called inside the write
 * transaction, so the state cannot change before the write. */
static int check_open(struct db *db, const struct actor *who, int64_t id)
{
	int rc;
	json_t *d = dossier_store_get(db, who->tenant_id, id, &rc);
	if (!d)
		return rc;
	rc = state_of(d) == DS_CLOTURE ? CAS_ECONFLICT : 0;
	json_decref(d);
	return rc;
}

static const struct line_type *read_line(json_t *in, int64_t *montant, json_t *errs)
{
	const struct line_type *t = line_type_find(input_str(in, "category"));
	if (!t)
		input_error(errs, "category", "Choisissez le type de ressource ou de charge.");
	const char *label = input_str(in, "label");
	if (utf8_strlen(label) > LINE_LABEL_MAX || strpbrk(label, "\r\n\t"))
		input_error(errs, "label",
		            "La précision tient sur une ligne de 200 caractères au plus.");
	read_money(in, "montant", "montant_centimes", montant, errs);
	return t;
}

int dossier_add_line(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     int64_t *line_id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_INSTRUCT))
		return CAS_EPERM;
	int64_t montant = 0, now = clock_now();
	json_t *errs = json_object();
	const struct line_type *t = read_line(in, &montant, errs);
	if (json_object_size(errs)) {
		int rc = check_open(db, who, id); /* an unknown dossier is a 404 first */
		if (rc != 0) {
			json_decref(errs);
			return rc;
		}
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	char detail[300];
	snprintf(detail, sizeof(detail), "%s ajoutée au budget : %s.", line_kind_label(t->kind),
	         t->label);
	const char *label = input_str(in, "label");
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = check_open(db, who, id);
	if (rc == 0)
		rc = dossier_store_line_insert(db, who->tenant_id, id, line_kind_code(t->kind),
		                               t->code, label, montant, line_id);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                                "ligne", detail, now);
	if (rc == 0)
		rc = dossier_store_touch(db, who->tenant_id, id, now);
	if (rc == 0)
		rc = audit_write(db, who, "ajout_ligne", "dossier", id,
		                 json_pack("{s:[ns], s:[ns], s:[nI]}", "category", t->code, "label",
		                           label, "montant", (json_int_t)montant));
	return finish(db, rc);
}

int dossier_add_note(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_INSTRUCT))
		return CAS_EPERM;
	const char *note = input_str(in, "note");
	if (!*note || utf8_strlen(note) > NOTE_MAX) {
		int rc = check_open(db, who, id);
		if (rc != 0)
			return rc;
		*errors = json_pack("{s:s}", "note", "Écrivez la note (4 000 caractères au plus).");
		return CAS_EINVAL;
	}
	int64_t now = clock_now();
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = check_open(db, who, id);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                                "note", note, now);
	if (rc == 0)
		rc = dossier_store_touch(db, who->tenant_id, id, now);
	if (rc == 0)
		rc = audit_write(db, who, "ajout_note", "dossier", id, NULL);
	return finish(db, rc);
}

/* ---- reading ---- */

static const char *event_kind_label(const char *kind)
{
	static const char *const labels[][2] = {
	    {"creation", "Ouverture"},
	    {"etat", "Changement d'état"},
	    {"note", "Note"},
	    {"ligne", "Budget"},
	    {"modification", "Modification"},
	    {"depot", "Dépôt"},
	    {"instruction", "Prise en charge"},
	    {"pieces", "Demande de pièces"},
	    {"reprise", "Reprise de l'instruction"},
	    {"proposition", "Proposition"},
	    {"commission", "Commission"},
	    {"decision", "Décision"},
	    {"notification", "Notification"},
	    {"paiement", "Paiement"},
	    {"cloture", "Clôture"},
	    {"budget", "Enveloppe budgétaire"}, /* a decision beyond it (app/budgets.c) */
	    {"piece", "Pièce justificative"},
	    {"courrier", "Courrier"},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(kind, labels[i][0]) == 0)
			return labels[i][1];
	return kind;
}

static void label_state(json_t *d)
{
	const char *code = json_string_value(json_object_get(d, "state"));
	enum dossier_state s;
	const char *label = dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : code;
	json_object_set_new(d, "state_label", json_string(label ? label : ""));
}

static void add_events(json_t *d, json_t *events, int detail)
{
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e)
	{
		const char *kind = json_string_value(json_object_get(e, "kind"));
		json_object_set_new(e, "kind_label", json_string(event_kind_label(kind)));
		if (detail)
			continue;
		/* notes and budget lines are the instruction: their text is withheld */
		if (strcmp(kind, "note") == 0)
			json_object_set_new(e, "detail",
			                    json_string("Note d'instruction (réservée aux agents "
			                                "chargés de l'instruction)."));
		else if (strcmp(kind, "ligne") == 0)
			json_object_set_new(e, "detail", json_string("Budget du dossier modifié."));
	}
	json_object_set_new(d, "events", events);
}

static void add_lines(json_t *d, json_t *lines)
{
	json_int_t res = 0, chg = 0;
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
	{
		const struct line_type *t =
		    line_type_find(json_string_value(json_object_get(l, "category")));
		int ressource =
		    strcmp(json_string_value(json_object_get(l, "kind")), "ressource") == 0;
		json_object_set_new(l, "category_label", json_string(t ? t->label : ""));
		json_object_set_new(l, "kind_label",
		                    json_string(ressource ? "Ressource" : "Charge"));
		*(ressource ? &res : &chg) += int_of(l, "montant");
	}
	json_object_set_new(d, "lines", lines);
	json_object_set_new(d, "totals",
	                    json_pack("{s:I, s:I, s:I}", "ressources", res, "charges", chg,
	                              "reste_a_vivre", res - chg));
}

/* The proposal and decision labels, the deadline, and what the actor may
 * do now. */
static void add_workflow(struct db *db, json_t *d, const struct actor *who, int detail)
{
	enum dossier_state from = state_of(d);
	enum dossier_proposal p;
	enum dossier_decision dd;
	struct dossier_delays delays;
	if (dossier_proposal_from_code(wf_str(d, "proposition"), &p) == 0)
		json_object_set_new(d, "proposition_label", json_string(dossier_proposal_label(p)));
	if (dossier_decision_from_code(wf_str(d, "decision"), &dd) == 0)
		json_object_set_new(d, "decision_label", json_string(dossier_decision_label(dd)));
	if (!detail) /* the assessment is the instruction */
		json_object_set_new(d, "appreciation", json_null());
	if (wf_delays(db, who->tenant_id, &delays, NULL) == 0)
		wf_deadline_flag(d, &delays, wf_today());
	json_t *actions = workflow_available(db, who, d);
	json_t *list = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a)
	{
		if (!json_object_get(a, "refusal"))
			json_array_append_new(list, json_pack("{s:O, s:O}", "state",
			                                      json_object_get(a, "to"), "label",
			                                      json_object_get(a, "to_label")));
	}
	json_object_set_new(d, "transitions", list);
	json_object_set_new(d, "actions", actions);
	int can = perm_allows(who->role, PERM_DOSSIER_INSTRUCT);
	json_object_set_new(d, "can_instruct", json_boolean(can && from != DS_CLOTURE));
	json_object_set_new(d, "can_edit",
	                    json_boolean(may_edit_header(who, from) && from != DS_CLOTURE));
}

json_t *dossier_get(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_DOSSIER_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *d = dossier_store_get(db, who->tenant_id, id, err);
	if (!d)
		return NULL;
	int detail = perm_allows(who->role, PERM_DOSSIER_DETAIL);
	json_t *events = dossier_store_events(db, who->tenant_id, id);
	json_t *lines = detail ? dossier_store_lines(db, who->tenant_id, id) : NULL;
	if (!events || (detail && !lines)) {
		json_decref(events);
		json_decref(lines);
		json_decref(d);
		*err = CAS_EDB;
		return NULL;
	}
	label_state(d);
	json_object_set_new(d, "detail", json_boolean(detail));
	add_events(d, events, detail);
	if (detail)
		add_lines(d, lines);
	add_workflow(db, d, who, detail);
	access_log_read_about(db, who, "dossier", id,
	                      json_integer_value(json_object_get(d, "applicant_id")));
	*err = 0;
	return d;
}

/* Fills the store filter from q; CAS_EINVAL with errors for unknown values. */
static int make_filter(struct db *db, const struct actor *who, const struct dossier_query *q,
                       struct dossier_filter *f, json_t **errors)
{
	enum dossier_state s;
	memset(f, 0, sizeof(*f));
	f->household_id = q->household_id;
	if (q->etat && *q->etat) {
		if (dossier_state_from_code(q->etat, &s) != 0) {
			*errors = json_pack("{s:s}", "etat", "État de dossier inconnu.");
			return CAS_EINVAL;
		}
		f->state = q->etat;
	}
	if (!q->aide || !*q->aide)
		return 0;
	json_t *in = json_pack("{s:s}", "aide", q->aide);
	f->aid_type_id = input_id(in, "aide");
	json_decref(in);
	if (f->aid_type_id)
		return 0;
	int rc;
	json_t *t = aid_type_store_by_code(db, who->tenant_id, q->aide, &rc);
	if (!t) {
		*errors =
		    rc == CAS_ENOTFOUND ? json_pack("{s:s}", "aide", "Type d'aide inconnu.") : NULL;
		return rc == CAS_ENOTFOUND ? CAS_EINVAL : rc;
	}
	f->aid_type_id = int_of(t, "id");
	json_decref(t);
	return 0;
}

/* State labels and deadline flags (overdue, due) of list rows. */
static json_t *labelled(struct db *db, const struct actor *who, json_t *rows)
{
	struct dossier_delays delays;
	int has = rows && wf_delays(db, who->tenant_id, &delays, NULL) == 0;
	int today = wf_today();
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		label_state(d);
		if (has)
			wf_deadline_flag(d, &delays, today);
	}
	return rows;
}

json_t *dossier_list(struct db *db, const struct actor *who, const struct dossier_query *q,
                     int64_t *total, int *err, json_t **errors)
{
	*errors = NULL;
	struct dossier_filter f;
	*err = perm_allows(who->role, PERM_DOSSIER_READ) ? 0 : CAS_EPERM;
	if (*err == 0)
		*err = make_filter(db, who, q, &f, errors);
	if (*err == 0 && total)
		*err = dossier_store_count(db, who->tenant_id, &f, total);
	if (*err != 0)
		return NULL;
	enum dossier_sort sort = q->order == DOSSIER_ORDER_DATE   ? DSORT_DATE
	                         : q->order == DOSSIER_ORDER_ETAT ? DSORT_ETAT
	                                                          : DSORT_NUMERO;
	json_t *rows =
	    dossier_store_list(db, who->tenant_id, &f, sort, q->desc, q->offset, q->limit);
	*err = rows ? 0 : CAS_EDB;
	return labelled(db, who, rows);
}

json_t *dossier_page(struct db *db, const struct actor *who, const struct dossier_query *q,
                     int *err, json_t **errors)
{
	*errors = NULL;
	struct dossier_filter f;
	*err = perm_allows(who->role, PERM_DOSSIER_READ) ? 0 : CAS_EPERM;
	if (*err == 0)
		*err = make_filter(db, who, q, &f, errors);
	if (*err != 0)
		return NULL;
	json_t *rows = dossier_store_page(db, who->tenant_id, &f, q->after_id, q->limit + 1);
	*err = rows ? 0 : CAS_EDB;
	return labelled(db, who, rows);
}

json_t *dossier_states(void)
{
	json_t *list = json_array();
	for (int s = 0; s < DS_COUNT; s++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "state", dossier_state_code(s),
		                                      "label", dossier_state_label(s)));
	return list;
}

json_t *dossier_line_types(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < line_type_count(); i++) {
		const struct line_type *t = line_type_at(i);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "code", t->code, "label",
		                                      t->label, "kind", line_kind_code(t->kind)));
	}
	return list;
}
