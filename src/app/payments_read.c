/* Reading payments: the labels, the dossier's section and the tenant's
 * list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/input.h"
#include "app/payments.h"
#include "app/payments_internal.h"
#include "base/err.h"
#include "domain/pdate.h"
#include "store/payment_store.h"

static const char *const states[][2] = {
    {"prevu", "Prévu"}, {"mandate", "Mandaté"}, {"paye", "Payé"},
    {"remis", "Remis"}, {"annule", "Annulé"},
};
static const char *const modes[][2] = {
    {"virement", "Virement"},
    {"nature", "En nature (bons)"},
};
static const char *const kinds[][2] = {
    {"beneficiaire", "Le demandeur"},
    {"bailleur", "Bailleur"},
    {"energie", "Fournisseur d'énergie"},
    {"autre", "Autre tiers"},
};

#define COUNT(t) (sizeof(t) / sizeof(t[0]))

static const char *label_of(const char *const (*table)[2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return code ? code : "";
}

const char *pay_state_label(const char *state)
{
	return label_of(states, COUNT(states), state);
}

const char *pay_mode_label(const char *mode)
{
	return label_of(modes, COUNT(modes), mode);
}

const char *pay_kind_label(const char *kind)
{
	return label_of(kinds, COUNT(kinds), kind);
}

int pay_kind_known(const char *kind)
{
	for (size_t i = 0; kind && i < COUNT(kinds); i++)
		if (strcmp(kinds[i][0], kind) == 0)
			return 1;
	return 0;
}

static json_t *code_list(const char *const (*table)[2], size_t n, const char *key)
{
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    out, json_pack("{s:s, s:s}", key, table[i][0], "label", table[i][1]));
	return out;
}

json_t *payment_states(void)
{
	return code_list(states, COUNT(states), "state");
}

json_t *payee_kinds(void)
{
	return code_list(kinds, COUNT(kinds), "code");
}

int pay_date_ok(const char *s)
{
	int y, m, d;
	return s && ymd_parse_iso(s, &y, &m, &d) == 0;
}

void payment_iban_mask(const char *iban, char out[64])
{
	size_t n = iban ? strlen(iban) : 0;
	if (n < 8) {
		snprintf(out, 64, "••••");
		return;
	}
	snprintf(out, 64, "%.4s •••• %s", iban, iban + n - 4);
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

const char *pay_schedule_refusal(const json_t *d)
{
	const char *state = str(d, "state");
	if (strcmp(str(d, "decision"), "accorde") != 0 ||
	    json_integer_value(json_object_get(d, "montant_accorde")) <= 0)
		return "Un paiement suit une décision d'accord avec un montant : ce dossier n'en a "
		       "pas.";
	if (strcmp(state, "decide") != 0 && strcmp(state, "notifie") != 0 &&
	    strcmp(state, "paiement") != 0)
		return "Le dossier est clôturé : aucun paiement ne peut plus y être prévu.";
	return NULL;
}

static void add_action(json_t *list, const char *action, const char *label, const char *confirm)
{
	json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:b}", "action", action, "label",
	                                      label, "confirm", confirm, "dated",
	                                      strcmp(action, "annuler") != 0));
}

json_t *pay_actions(const json_t *d, const json_t *p)
{
	json_t *list = json_array();
	const char *state = str(p, "state"), *mode = str(p, "mode"), *ds = str(d, "state");
	int notified = strcmp(ds, "notifie") == 0 || strcmp(ds, "paiement") == 0;
	int transfer = strcmp(mode, "virement") == 0;
	if (strcmp(state, "prevu") == 0 && transfer && notified)
		add_action(list, "mandater", "Marquer mandaté", NULL);
	if (strcmp(state, "prevu") == 0 && !transfer && notified)
		add_action(list, "remettre", "Marquer remis",
		           "Confirmez-vous que les bons ont été remis au demandeur ?");
	if (strcmp(state, "mandate") == 0)
		add_action(list, "payer", "Marquer payé",
		           "Confirmez-vous que la trésorerie a payé ce mandat ? Cette action est "
		           "définitive.");
	if (strcmp(state, "prevu") == 0)
		add_action(list, "annuler", "Annuler",
		           "Annuler ce paiement prévu ? Il ne sera plus compté.");
	return list;
}

/* ---- the dossier's section ---- */

static void shape_payment(struct db *db, const struct actor *who, const json_t *d, json_t *p,
                          int can_write)
{
	json_object_set_new(p, "state_label", json_string(pay_state_label(str(p, "state"))));
	json_object_set_new(p, "mode_label", json_string(pay_mode_label(str(p, "mode"))));
	json_object_set_new(p, "payee_kind_label",
	                    json_string(pay_kind_label(str(p, "payee_kind"))));
	if (strcmp(str(p, "mode"), "nature") == 0)
		json_object_set_new(
		    p, "bons",
		    payment_store_vouchers(db, who->tenant_id,
		                           json_integer_value(json_object_get(p, "id"))));
	json_object_set_new(p, "actions", can_write ? pay_actions(d, p) : json_array());
}

static json_t *shape_payees(json_t *payees)
{
	size_t i;
	json_t *e;
	json_array_foreach(payees, i, e)
	{
		char masked[64];
		payment_iban_mask(str(e, "iban"), masked);
		json_object_set_new(e, "iban_masque", json_string(masked));
		json_object_del(e, "iban"); /* the screen shows the masked form only */
		json_object_set_new(e, "kind_label", json_string(pay_kind_label(str(e, "kind"))));
	}
	return payees;
}

static json_t *view_of(struct db *db, const struct actor *who, json_t *d, json_t *payments,
                       json_t *payees)
{
	int can_write = perm_allows(who->role, PERM_PAYMENT_WRITE);
	int64_t engaged = 0, paid = 0;
	size_t i;
	json_t *p;
	json_array_foreach(payments, i, p)
	{
		int64_t m = json_integer_value(json_object_get(p, "montant"));
		const char *s = str(p, "state");
		engaged += strcmp(s, "annule") != 0 ? m : 0;
		paid += strcmp(s, "paye") == 0 || strcmp(s, "remis") == 0 ? m : 0;
		shape_payment(db, who, d, p, can_write);
	}
	json_t *granted = json_object_get(d, "montant_accorde");
	json_t *v = json_pack("{s:O, s:I, s:I, s:o, s:o, s:b, s:b}", "accorde", granted, "engage",
	                      (json_int_t)engaged, "paye", (json_int_t)paid, "payments", payments,
	                      "payees", shape_payees(payees), "can_write", can_write,
	                      "can_schedule", can_write && !pay_schedule_refusal(d));
	if (json_is_integer(granted))
		json_object_set_new(v, "reste",
		                    json_integer(json_integer_value(granted) - engaged));
	return v;
}

json_t *payment_dossier_view(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	if (!perm_allows(who->role, PERM_PAYMENT_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *d = payment_store_dossier(db, who->tenant_id, dossier_id, err);
	if (!d)
		return NULL;
	json_t *payments = payment_store_for_dossier(db, who->tenant_id, dossier_id);
	json_t *payees = payee_store_for_person(
	    db, who->tenant_id, json_integer_value(json_object_get(d, "applicant_id")));
	json_t *v = payments && payees ? view_of(db, who, d, payments, payees) : NULL;
	if (!v) {
		json_decref(payments);
		json_decref(payees);
		*err = CAS_EDB;
	}
	json_decref(d);
	return v;
}

/* ---- the list ---- */

static int read_filter(const struct payment_query *q, struct payment_filter *f, json_t *errs)
{
	memset(f, 0, sizeof(*f));
	if (q->etat && *q->etat) {
		f->state = q->etat;
		if (strcmp(pay_state_label(q->etat), q->etat) == 0)
			input_error(errs, "etat", "État de paiement inconnu.");
	}
	if (q->aide && *q->aide) {
		f->aid_type_id =
		    strspn(q->aide, "0123456789") == strlen(q->aide) && strlen(q->aide) < 19
		        ? strtoll(q->aide, NULL, 10)
		        : 0;
		if (!f->aid_type_id)
			input_error(errs, "aide", "Aide inconnue.");
	}
	f->du = q->du && *q->du ? q->du : NULL;
	f->au = q->au && *q->au ? q->au : NULL;
	if (f->du && !pay_date_ok(f->du))
		input_error(errs, "du", "Date invalide : utilisez le format AAAA-MM-JJ.");
	if (f->au && !pay_date_ok(f->au))
		input_error(errs, "au", "Date invalide : utilisez le format AAAA-MM-JJ.");
	if (f->du && f->au && !json_object_size(errs) && strcmp(f->du, f->au) > 0)
		input_error(errs, "au", "La fin de la période précède son début.");
	return json_object_size(errs) ? CAS_EINVAL : 0;
}

json_t *payment_list(struct db *db, const struct actor *who, const struct payment_query *q,
                     int64_t *total, int64_t *total_montant, int *err, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PAYMENT_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	struct payment_filter f;
	json_t *errs = json_object();
	if (read_filter(q, &f, errs) != 0) {
		*errors = errs;
		*err = CAS_EINVAL;
		return NULL;
	}
	json_decref(errs);
	int64_t n = 0, sum = 0;
	int rc = payment_store_count(db, who->tenant_id, &f, &n, &sum);
	json_t *rows =
	    rc == 0 ? payment_store_list(db, who->tenant_id, &f, q->offset, q->limit) : NULL;
	if (!rows) {
		*err = rc ? rc : CAS_EDB;
		return NULL;
	}
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		json_object_set_new(p, "state_label",
		                    json_string(pay_state_label(str(p, "state"))));
		json_object_set_new(p, "mode_label", json_string(pay_mode_label(str(p, "mode"))));
	}
	if (total)
		*total = n;
	if (total_montant)
		*total_montant = sum;
	*err = 0;
	return rows;
}
