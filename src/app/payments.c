/* Payees and payments: creation, scheduling under the amount granted, the
 * acts (mandaté, payé, remis, annulé) and the dossier's moves they cause. */
#include "app/payments.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/payments_internal.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/utf8.h"
#include "domain/ident.h"
#include "domain/money.h"
#include "domain/pdate.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/payment_store.h"

#define NOM_MAX       120 /* characters */
#define OBJET_MAX     140 /* characters: the length of a SEPA remittance text */
#define BONS_MAX      500
#define BON_MAX       40
#define ECHEANCES_MAX 12

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int fail(json_t **errors, json_t *errs)
{
	*errors = errs;
	return CAS_EINVAL;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_t *load_dossier(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_PAYMENT_WRITE) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	return payment_store_dossier(db, who->tenant_id, id, err);
}

static int event(struct db *db, const struct actor *who, int64_t dossier_id, const char *detail)
{
	return dossier_store_event_insert(db, who->tenant_id, dossier_id, who->user_id, who->label,
	                                  "paiement", detail, clock_now());
}

/* ---- payees ---- */

/* "FRXX" + upper case without separators, at most 11 characters: BIC
 * (ISO 9362): 4 letters (bank), 2 letters (country), 2 letters or digits
 * (place), optionally 3 letters or digits (branch). */
static int bic_normalise(const char *in, char out[16])
{
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ')
			continue;
		if (n >= 11 || !isalnum((unsigned char)*p))
			return 0;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	if (n == 0)
		return 1;
	if (n != 8 && n != 11)
		return 0;
	for (int i = 0; i < 6; i++)
		if (!isalpha((unsigned char)out[i]))
			return 0;
	return 1;
}

struct payee_in {
	const char *kind, *nom;
	struct ident_result iban;
	char bic[16];
};

static json_t *validate_payee(json_t *in, const json_t *d, struct payee_in *p)
{
	json_t *errs = json_object();
	p->kind = input_str(in, "kind");
	p->nom = input_str(in, "nom");
	if (!pay_kind_known(p->kind))
		input_error(errs, "kind", "Choisissez à qui l'aide est versée.");
	else if (strcmp(p->kind, "beneficiaire") == 0 && !*p->nom)
		p->nom = json_string_value(json_object_get(d, "demandeur"));
	if (!p->nom || !*p->nom || utf8_strlen(p->nom) > NOM_MAX)
		input_error(errs, "nom",
		            "Indiquez le nom du titulaire du compte (120 caractères au plus).");
	if (ident_iban(input_str(in, "iban"), &p->iban) != 0)
		input_error(errs, "iban",
		            *input_str(in, "iban") ? p->iban.reason
		                                   : "Indiquez l'IBAN du compte à créditer.");
	if (!bic_normalise(input_str(in, "bic"), p->bic))
		input_error(
		    errs, "bic",
		    "Le BIC comporte 8 ou 11 caractères : 4 lettres pour la banque, 2 pour le "
		    "pays, puis 2 (ou 5) lettres ou chiffres. Laissez vide si vous ne le "
		    "connaissez pas.");
	return errs;
}

int payee_create(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                 int64_t *id, json_t **errors)
{
	*errors = NULL;
	int rc;
	json_t *d = load_dossier(db, who, dossier_id, &rc);
	if (!d)
		return rc;
	struct payee_in p;
	json_t *errs = validate_payee(in, d, &p);
	if (json_object_size(errs)) {
		json_decref(d);
		return fail(errors, errs);
	}
	json_decref(errs);
	int beneficiary = strcmp(p.kind, "beneficiaire") == 0;
	struct payee_row row = {p.kind,
	                        p.nom,
	                        p.iban.normalised,
	                        p.bic,
	                        beneficiary ? json_integer_value(json_object_get(d, "applicant_id"))
	                                    : 0,
	                        who->user_id};
	char masked[64];
	payment_iban_mask(p.iban.normalised, masked);
	json_t *changes =
	    json_pack("{s:[ns], s:[ns], s:[ns], s:[ns], s:[nI]}", "kind", p.kind, "nom", p.nom,
	              "iban", masked, "bic", p.bic, "dossier_id", (json_int_t)dossier_id);
	rc = db_begin(db);
	if (rc == 0) {
		rc = payee_store_insert(db, who->tenant_id, &row, clock_now(), id);
		if (rc == 0) {
			rc = audit_write(db, who, "creation", "payee", *id, changes);
			changes = NULL; /* stolen */
		}
		rc = finish(db, rc);
	}
	json_decref(changes);
	json_decref(d); /* p.nom may point into it */
	return rc;
}

/* ---- scheduling ---- */

struct schedule {
	const char *mode, *objet, *date_prevue;
	int64_t payee_id, total, valeur_bon;
	int echeances;
	json_t *bons; /* nature: array of voucher numbers (owned) */
};

static int voucher_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '/' || c == '.';
}

/* Voucher numbers separated by spaces, commas, semicolons or lines. */
static json_t *parse_bons(const char *s, json_t *errs)
{
	json_t *bons = json_array();
	while (*s) {
		size_t sep = strspn(s, " ,;\t\r\n");
		s += sep;
		size_t n = 0;
		while (s[n] && !strchr(" ,;\t\r\n", s[n]))
			n++;
		if (!n)
			break;
		int ok = n <= BON_MAX;
		for (size_t i = 0; ok && i < n; i++)
			ok = voucher_char(s[i]);
		char num[BON_MAX + 1];
		snprintf(num, sizeof(num), "%.*s", (int)(n < BON_MAX ? n : BON_MAX), s);
		for (size_t i = 0; ok && i < json_array_size(bons); i++)
			ok = strcmp(json_string_value(json_array_get(bons, i)), num) != 0;
		if (!ok) {
			input_error(errs, "bons",
			            "Chaque numéro de bon compte 40 caractères au plus (lettres, "
			            "chiffres, - _ / .) et n'apparaît qu'une fois.");
			break;
		}
		json_array_append_new(bons, json_string(num));
		s += n;
	}
	if (!json_array_size(bons) || json_array_size(bons) > BONS_MAX)
		input_error(errs, "bons", "Indiquez les numéros des bons remis (500 au plus).");
	return bons;
}

static void read_amount(json_t *in, const char *key, int64_t *out, json_t *errs,
                        const char *missing)
{
	const char *why = NULL;
	const char *s = input_str(in, key);
	if (!*s)
		input_error(errs, key, missing);
	else if (money_parse(s, out, &why) != 0)
		input_error(errs, key, why);
	else if (*out <= 0)
		input_error(errs, key, "Le montant doit être supérieur à zéro.");
}

static void read_common(json_t *in, struct schedule *s, json_t *errs)
{
	s->objet = input_str(in, "objet");
	if (!*s->objet || utf8_strlen(s->objet) > OBJET_MAX)
		input_error(
		    errs, "objet",
		    "Indiquez l'objet du paiement, repris sur le virement (140 caractères au "
		    "plus).");
	s->date_prevue = input_str(in, "date_prevue");
	if (*s->date_prevue && !pay_date_ok(s->date_prevue))
		input_error(errs, "date_prevue", "Date invalide : utilisez le format AAAA-MM-JJ.");
	const char *n = input_str(in, "echeances");
	s->echeances = *n ? (int)strtol(n, NULL, 10) : 1;
	if (*n && (strspn(n, "0123456789") != strlen(n) || s->echeances < 1 ||
	           s->echeances > ECHEANCES_MAX))
		input_error(errs, "echeances", "Le nombre d'échéances va de 1 à 12.");
}

static void read_transfer(struct db *db, const struct actor *who, const json_t *d, json_t *in,
                          struct schedule *s, json_t *errs)
{
	s->payee_id = input_id(in, "payee_id");
	int err;
	json_t *p = s->payee_id ? payee_store_get(db, who->tenant_id, s->payee_id, &err) : NULL;
	int64_t person = json_integer_value(json_object_get(p, "person_id"));
	if (!p || (strcmp(input_str(p, "kind"), "beneficiaire") == 0 &&
	           person != json_integer_value(json_object_get(d, "applicant_id"))))
		input_error(errs, "payee_id", "Choisissez le titulaire du compte à créditer.");
	json_decref(p);
	read_amount(in, "montant", &s->total, errs, "Indiquez le montant à verser.");
}

static void read_in_kind(json_t *in, struct schedule *s, json_t *errs)
{
	s->bons = parse_bons(input_str(in, "bons"), errs);
	read_amount(in, "valeur_bon", &s->valeur_bon, errs, "Indiquez la valeur d'un bon.");
	if (s->echeances != 1)
		input_error(errs, "echeances", "Une aide en nature se remet en une fois.");
	if (!json_object_get(errs, "bons") && !json_object_get(errs, "valeur_bon"))
		s->total = s->valeur_bon * (int64_t)json_array_size(s->bons);
}

static json_t *validate_schedule(struct db *db, const struct actor *who, const json_t *d,
                                 json_t *in, struct schedule *s)
{
	json_t *errs = json_object();
	memset(s, 0, sizeof(*s));
	const char *refusal = pay_schedule_refusal(d);
	if (refusal)
		input_error(errs, "paiement", refusal);
	s->mode = input_str(in, "mode");
	read_common(in, s, errs);
	if (strcmp(s->mode, "virement") == 0)
		read_transfer(db, who, d, in, s, errs);
	else if (strcmp(s->mode, "nature") == 0)
		read_in_kind(in, s, errs);
	else
		input_error(errs, "mode", "Choisissez un virement ou une aide en nature.");
	return errs;
}

/* date + k months, the day kept within the month. */
static void add_months(const char *date, int k, char out[11])
{
	int y, m, d;
	if (!*date || ymd_parse_iso(date, &y, &m, &d) != 0) {
		out[0] = '\0';
		return;
	}
	m += k;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	if (d > ymd_days_in_month(y, m))
		d = ymd_days_in_month(y, m);
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	snprintf(out, 11, "%.10s", tmp);
}

static int over_granted(struct db *db, const struct actor *who, int64_t dossier_id, const json_t *d,
                        int64_t total, json_t **errors)
{
	int64_t engaged = 0, paid = 0;
	int64_t granted = json_integer_value(json_object_get(d, "montant_accorde"));
	int rc = payment_store_sums(db, who->tenant_id, dossier_id, &engaged, &paid);
	if (rc != 0 || engaged + total <= granted)
		return rc;
	char g[MONEY_FMT_SIZE], left[MONEY_FMT_SIZE], msg[400];
	money_format(granted, g, sizeof(g));
	money_format(granted - engaged > 0 ? granted - engaged : 0, left, sizeof(left));
	snprintf(msg, sizeof(msg),
	         "Les paiements dépasseraient le montant accordé (%s) : il reste %s à prévoir.", g,
	         left);
	*errors = json_pack("{s:s}", "montant", msg);
	return CAS_EINVAL;
}

static int insert_vouchers(struct db *db, const struct actor *who, int64_t payment_id,
                           const struct schedule *s, json_t **errors)
{
	size_t i;
	json_t *b;
	json_array_foreach(s->bons, i, b)
	{
		int rc = payment_store_voucher_insert(db, who->tenant_id, payment_id,
		                                      json_string_value(b), s->valeur_bon);
		if (rc == CAS_ECONFLICT) {
			char msg[200];
			snprintf(msg, sizeof(msg), "Le bon n° %s a déjà été attribué par le CCAS.",
			         json_string_value(b));
			*errors = json_pack("{s:s}", "bons", msg);
			return CAS_EINVAL;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int insert_one(struct db *db, const struct actor *who, int64_t dossier_id,
                      const struct schedule *s, int k, int64_t *id)
{
	int64_t base = s->total / s->echeances, echeance = 0;
	int64_t amount = k == s->echeances - 1 ? s->total - base * (s->echeances - 1) : base;
	char date[11], objet[600], fr[MONEY_FMT_SIZE], detail[900];
	add_months(s->date_prevue, k, date);
	if (s->echeances > 1)
		snprintf(objet, sizeof(objet), "%s (échéance %d/%d)", s->objet, k + 1,
		         s->echeances);
	else
		snprintf(objet, sizeof(objet), "%s", s->objet);
	struct payment_row row = {dossier_id,          s->mode,     s->payee_id, amount, objet,
	                          *date ? date : NULL, who->user_id};
	int rc = payment_store_insert(db, who->tenant_id, &row, clock_now(), id, &echeance);
	money_format(amount, fr, sizeof(fr));
	snprintf(detail, sizeof(detail), "Paiement prévu, échéance %lld : %s (%s) – %s.",
	         (long long)echeance, fr, pay_mode_label(s->mode), objet);
	if (rc == 0)
		rc = event(db, who, dossier_id, detail);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "payment", *id,
		                 json_pack("{s:[nI], s:[ns], s:[nI], s:[nI], s:[ns], s:[nI]}",
		                           "dossier_id", (json_int_t)dossier_id, "mode", s->mode,
		                           "montant", (json_int_t)amount, "echeance",
		                           (json_int_t)echeance, "objet", objet, "payee_id",
		                           (json_int_t)s->payee_id));
	return rc;
}

static int write_schedule(struct db *db, const struct actor *who, int64_t dossier_id,
                          const struct schedule *s, int64_t *first_id, json_t **errors)
{
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = db_lock(db, DB_LOCK_PAYMENTS(dossier_id));
	/* read again under the lock: the decision and the other payments */
	json_t *d = rc == 0 ? payment_store_dossier(db, who->tenant_id, dossier_id, &rc) : NULL;
	const char *refusal = d ? pay_schedule_refusal(d) : NULL;
	if (refusal) {
		*errors = json_pack("{s:s}", "paiement", refusal);
		rc = CAS_EINVAL;
	}
	if (rc == 0)
		rc = over_granted(db, who, dossier_id, d, s->total, errors);
	for (int k = 0; rc == 0 && k < s->echeances; k++) {
		int64_t id = 0;
		rc = insert_one(db, who, dossier_id, s, k, &id);
		if (k == 0)
			*first_id = id;
		if (rc == 0 && s->bons)
			rc = insert_vouchers(db, who, id, s, errors);
	}
	json_decref(d);
	return finish(db, rc);
}

int payment_schedule(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                     int64_t *first_id, json_t **errors)
{
	*errors = NULL;
	int rc;
	json_t *d = load_dossier(db, who, dossier_id, &rc);
	if (!d)
		return rc;
	struct schedule s;
	json_t *errs = validate_schedule(db, who, d, in, &s);
	json_decref(d);
	if (json_object_size(errs)) {
		json_decref(s.bons);
		return fail(errors, errs);
	}
	json_decref(errs);
	rc = write_schedule(db, who, dossier_id, &s, first_id, errors);
	json_decref(s.bons);
	return rc;
}

/* ---- acts ---- */

struct act {
	const char *action, *from, *to, *mode; /* mode NULL: any */
	const char *date_column;
	int moves_dossier; /* the first mandat or remise moves notifié -> paiement */
	const char *audit, *done;
};

static const struct act acts[] = {
    {"mandater", "prevu", "mandate", "virement", "mandate_le", 1, "mandatement", "mandaté"},
    {"payer", "mandate", "paye", "virement", "paye_le", 0, "paiement", "payé"},
    {"remettre", "prevu", "remis", "nature", "remis_le", 1, "remise", "remis"},
    {"annuler", "prevu", "annule", NULL, NULL, 0, "annulation", "annulé"},
};

static const struct act *act_find(const char *action)
{
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (action && strcmp(acts[i].action, action) == 0)
			return &acts[i];
	return NULL;
}

/* The date of the act: today when empty, never in the future. */
static const char *act_date(json_t *in, char today[11], json_t *errs)
{
	paris_date_iso(clock_now(), today);
	const char *date = input_str(in, "date");
	if (!*date)
		return today;
	if (!pay_date_ok(date))
		input_error(errs, "date", "Date invalide : utilisez le format AAAA-MM-JJ.");
	else if (strcmp(date, today) > 0)
		input_error(errs, "date", "La date ne peut pas être dans le futur.");
	return date;
}

/* Why the act cannot be done on payment p of dossier d, or NULL. */
static const char *act_refusal(const struct act *a, const json_t *d, const json_t *p,
                               const char *date)
{
	const char *dstate = str(d, "state");
	if (strcmp(str(p, "state"), a->from) != 0 ||
	    (a->mode && strcmp(str(p, "mode"), a->mode) != 0))
		return "Ce paiement n'est plus dans l'état qui permet cette action : rechargez la "
		       "page.";
	if (a->moves_dossier && strcmp(dstate, "notifie") != 0 && strcmp(dstate, "paiement") != 0)
		return strcmp(dstate, "cloture") == 0
		           ? "Le dossier est clôturé."
		           : "La décision doit d'abord être notifiée au demandeur.";
	if (strcmp(a->action, "payer") == 0 && strcmp(date, str(p, "mandate_le")) < 0)
		return "Le paiement ne peut pas précéder le mandat.";
	return NULL;
}

/* After the act: notifié -> paiement at the first mandat or remise, and
 * paiement -> clôturé once everything granted is paid or handed over. */
static int move_dossier(struct db *db, const struct actor *who, int64_t dossier_id,
                        const struct act *a, json_t **errors)
{
	int rc = 0;
	json_t *d = payment_store_dossier(db, who->tenant_id, dossier_id, &rc);
	if (!d)
		return rc;
	const char *state = json_string_value(json_object_get(d, "state"));
	int in_payment = state && strcmp(state, "paiement") == 0;
	if (a->moves_dossier && state && strcmp(state, "notifie") == 0) {
		rc = workflow_transition_in(db, who, dossier_id, "paiement", NULL, errors);
		in_payment = rc == 0;
	}
	int64_t engaged = 0, paid = 0;
	int64_t granted = json_integer_value(json_object_get(d, "montant_accorde"));
	int settles = strcmp(a->to, "paye") == 0 || strcmp(a->to, "remis") == 0;
	if (rc == 0 && in_payment && settles)
		rc = payment_store_sums(db, who->tenant_id, dossier_id, &engaged, &paid);
	if (rc == 0 && in_payment && settles && granted > 0 && paid >= granted)
		rc = workflow_transition_in(db, who, dossier_id, "cloture", NULL, errors);
	json_decref(d);
	return rc;
}

static int write_act(struct db *db, const struct actor *who, const struct act *a, const json_t *p,
                     const char *date)
{
	int64_t id = json_integer_value(json_object_get(p, "id"));
	int64_t dossier_id = json_integer_value(json_object_get(p, "dossier_id"));
	int rc = payment_store_set_state(db, who->tenant_id, id, a->from, a->to, a->date_column,
	                                 date, clock_now());
	if (rc == 0 && strcmp(a->to, "annule") == 0)
		rc = payment_store_vouchers_delete(db, who->tenant_id, id);
	char fr[MONEY_FMT_SIZE], day[11], detail[400];
	money_format(json_integer_value(json_object_get(p, "montant")), fr, sizeof(fr));
	snprintf(day, sizeof(day), "%.2s/%.2s/%.4s", date + 8, date + 5, date);
	snprintf(detail, sizeof(detail), "Échéance %lld (%s) %s%s%s.",
	         (long long)json_integer_value(json_object_get(p, "echeance")), fr, a->done,
	         a->date_column ? " le " : "", a->date_column ? day : "");
	if (rc == 0)
		rc = event(db, who, dossier_id, detail);
	if (rc == 0)
		rc = audit_write(db, who, a->audit, "payment", id,
		                 json_pack("{s:[ss], s:[ns?]}", "state", a->from, a->to, "date",
		                           a->date_column ? date : NULL));
	return rc;
}

static int act_in_tx(struct db *db, const struct actor *who, int64_t dossier_id, int64_t payment_id,
                     const struct act *a, const char *date, json_t **errors)
{
	int rc = db_lock(db, DB_LOCK_PAYMENTS(dossier_id));
	json_t *p = rc == 0 ? payment_store_get(db, who->tenant_id, payment_id, &rc) : NULL;
	json_t *d = p ? payment_store_dossier(db, who->tenant_id, dossier_id, &rc) : NULL;
	if (p && json_integer_value(json_object_get(p, "dossier_id")) != dossier_id)
		rc = CAS_ENOTFOUND;
	const char *refusal = rc == 0 && d ? act_refusal(a, d, p, date) : NULL;
	if (refusal) {
		*errors = json_pack("{s:s}", "action", refusal);
		rc = CAS_EINVAL;
	}
	if (rc == 0 && d)
		rc = write_act(db, who, a, p, date);
	if (rc == 0 && d)
		rc = move_dossier(db, who, dossier_id, a, errors);
	json_decref(p);
	json_decref(d);
	return rc;
}

int payment_act(struct db *db, const struct actor *who, int64_t dossier_id, int64_t payment_id,
                const char *action, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PAYMENT_WRITE) || !who->tenant_id)
		return CAS_EPERM;
	const struct act *a = act_find(action);
	if (!a)
		return CAS_ENOTFOUND;
	char today[11];
	json_t *errs = json_object();
	const char *date = act_date(in, today, errs);
	if (json_object_size(errs))
		return fail(errors, errs);
	json_decref(errs);
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = finish(db, act_in_tx(db, who, dossier_id, payment_id, a, date, errors));
	/* a move refused by the workflow: its reason concerns the act */
	json_t *why = json_object_get(*errors, "to");
	if (why)
		json_object_set(*errors, "action", why);
	return rc;
}
