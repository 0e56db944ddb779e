/* Payments, budgets and exports on the store suite's backend (testdb.h):
 * payees and IBAN checks, instalments under the amount granted, the acts
 * and the dossier's moves, aid in kind, permissions, tenant isolation,
 * budget figures, the overrun rule, exports and their audit, and
 * concurrent decisions that cannot overspend a blocking envelope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/budgets.h"
#include "app/dossiers.h"
#include "app/exports.h"
#include "app/households.h"
#include "app/payments.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/seal.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

#define IBAN_OK    "fr76 3000 6000 0112 3456 7890 189"
#define IBAN_NORM  "FR7630006000011234567890189"
#define IBAN_BAD   "FR76 3000 6000 0112 3456 7890 188"
#define IBAN_OTHER "DE89 3704 0044 0532 0130 00"

struct fixture {
	struct db *db;
	struct actor admin, instr, valideur, accueil, auditeur, instr_b;
	int64_t ta, tb, person, household, aid, dossier;
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static void actor(struct actor *who, int64_t tenant, enum role role, const char *label,
                  int64_t user_id)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->role = role;
	who->user_id = user_id;
	snprintf(who->label, sizeof(who->label), "%s", label);
}

static int64_t make_tenant(struct db *db, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, &sys, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static void ok(int rc, json_t *errors, const char *what)
{
	if (rc != 0) {
		char *s = errors ? json_dumps(errors, 0) : NULL;
		fail_msg("%s: %d %s", what, rc, s ? s : "");
	}
}

static int64_t make_dossier(struct fixture *f)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)f->household,
	                       "aid_type_id", (json_int_t)f->aid, "motif", "Facture d'énergie",
	                       "montant_demande", "300");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(dossier_create(f->db, &f->accueil, in, &id, &errors), errors, "dossier_create");
	json_decref(in);
	return id;
}

/* The decision and the notification, written as the workflow would. */
static void grant(struct db *db, int64_t dossier, const char *state, int64_t cents, int64_t at)
{
	assert_int_equal(q_exec(db,
	                        "UPDATE dossiers SET state = ?, decision = 'accorde', "
	                        "montant_accorde = ?, decided_at = ? WHERE id = ?",
	                        "tiii", state, cents, at, dossier),
	                 0);
}

static void make_world(struct fixture *f)
{
	f->ta = make_tenant(f->db, "21750001600019");
	f->tb = make_tenant(f->db, "21690123100011");
	/* users exist for the foreign keys of created_by */
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO users (id, tenant_id, email, display_name, role, "
	                        "password_hash, created_at) VALUES (1, ?, 'i@a.fr', 'Inès', "
	                        "'instructeur', 'x', 0), (2, ?, 'v@a.fr', 'Victor', 'valideur', "
	                        "'x', 0)",
	                        "ii", f->ta, f->ta),
	                 0);
	actor(&f->admin, f->ta, ROLE_ADMINISTRATEUR, "admin@a.fr", 0);
	actor(&f->instr, f->ta, ROLE_INSTRUCTEUR, "instr@a.fr", 1);
	actor(&f->valideur, f->ta, ROLE_VALIDEUR, "valideur@a.fr", 2);
	actor(&f->accueil, f->ta, ROLE_ACCUEIL, "accueil@a.fr", 0);
	actor(&f->auditeur, f->ta, ROLE_AUDITEUR, "auditeur@a.fr", 0);
	actor(&f->instr_b, f->tb, ROLE_INSTRUCTEUR, "instr@b.fr", 0);
	json_t *errors = NULL;
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "Lefèvre", "prenom1",
	              "Gaëlle", "sexe", "F", "date_naissance", "1984-00-00", "lieu_type", "commune",
	              "commune_naissance", "75056", "nationalite", "francaise");
	ok(person_create(f->db, &f->accueil, in, &f->person, &errors), errors, "person");
	json_decref(in);
	in = json_pack("{s:I}", "demandeur_id", (json_int_t)f->person);
	ok(household_create(f->db, &f->accueil, in, &f->household, &errors), errors, "household");
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s}", "code", "energie", "label", "Aide à l'énergie",
	               "description", "");
	ok(aid_type_create(f->db, &f->admin, in, &f->aid, &errors), errors, "aid");
	json_decref(in);
	f->dossier = make_dossier(f);
	grant(f->db, f->dossier, "notifie", 30000, clock_make(2026, 3, 10, 9, 0, 0));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	make_world(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	clock_clear_override();
	free(f);
	return 0;
}

static void expect_error(json_t *errors, const char *field)
{
	if (!json_object_get(errors, field)) {
		char *s = errors ? json_dumps(errors, 0) : NULL;
		fail_msg("no error on %s: %s", field, s ? s : "(none)");
	}
	json_decref(errors);
}

static int64_t add_payee(struct fixture *f, const char *kind, const char *nom, const char *iban)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s}", "kind", kind, "nom", nom, "iban", iban, "bic", "");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(payee_create(f->db, &f->instr, f->dossier, in, &id, &errors), errors, "payee_create");
	json_decref(in);
	return id;
}

static int schedule(struct fixture *f, int64_t dossier, json_t *in, json_t **errors)
{
	int64_t id = 0;
	int rc = payment_schedule(f->db, &f->instr, dossier, in, &id, errors);
	json_decref(in);
	return rc;
}

static json_t *transfer(int64_t payee, const char *montant, const char *n, const char *date)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "mode", "virement", "payee_id",
	                 (json_int_t)payee, "montant", montant, "echeances", n, "date_prevue", date,
	                 "objet", "Aide énergie");
}

static const char *state_of(struct db *db, int64_t dossier)
{
	static char out[32];
	json_t *row = q_row(db, NULL, "SELECT state FROM dossiers WHERE id = ?", "i", dossier);
	snprintf(out, sizeof(out), "%s", json_string_value(json_object_get(row, "state")));
	json_decref(row);
	return out;
}

/* ---- payees ---- */

static void payee_iban_is_checked(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "kind", "bailleur", "nom", "", "iban",
	                       IBAN_BAD, "bic", "BNP");
	assert_int_equal(payee_create(f->db, &f->instr, f->dossier, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "nom"));
	assert_non_null(json_object_get(errors, "bic"));
	const char *why = json_string_value(json_object_get(errors, "iban"));
	assert_non_null(why);
	assert_non_null(strstr(why, "clé")); /* the French reason of ident_iban */
	json_decref(errors);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM payees"), 0);

	/* the beneficiary: the applicant's name by default, the IBAN normalised */
	id = add_payee(f, "beneficiaire", "", IBAN_OK);
	int err;
	json_t *v = payment_dossier_view(f->db, &f->instr, f->dossier, &err);
	json_t *p = json_array_get(json_object_get(v, "payees"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "nom")), "Lefèvre Gaëlle");
	assert_string_equal(json_string_value(json_object_get(p, "iban_masque")), "FR76 •••• 0189");
	assert_null(json_object_get(p, "iban")); /* the screen never gets it whole */
	json_decref(v);
	json_t *row =
	    q_row(f->db, NULL, "SELECT iban, person_id FROM payees WHERE id = ?", "i", id);
	/* sealed at rest for its row (store/sealed_store.h), never in clear */
	assert_true(seal_is_sealed_text(json_string_value(json_object_get(row, "iban"))));
	assert_null(strstr(json_string_value(json_object_get(row, "iban")), IBAN_NORM));
	assert_int_equal(json_integer_value(json_object_get(row, "person_id")), f->person);
	json_decref(row);
	/* the audit keeps the masked form only */
	row = q_row(f->db, NULL,
	            "SELECT changes FROM audit_log WHERE object_type = 'payee' AND object_id = ?",
	            "i", id);
	assert_null(strstr(json_string_value(json_object_get(row, "changes")), "0112"));
	json_decref(row);
}

/* ---- instalments ---- */

static void instalments_stay_within_the_grant(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t payee = add_payee(f, "energie", "Électricité de Test", IBAN_OTHER);
	ok(schedule(f, f->dossier, transfer(payee, "250", "3", "2026-01-31"), &errors), errors,
	   "schedule");
	json_t *rows = q_rows(f->db,
	                      "SELECT echeance, montant, date_prevue, objet, state FROM payments "
	                      "WHERE dossier_id = ? ORDER BY echeance",
	                      "i", f->dossier);
	assert_int_equal(json_array_size(rows), 3);
	static const int64_t amounts[] = {8333, 8333, 8334};
	static const char *const dates[] = {"2026-01-31", "2026-02-28", "2026-03-31"};
	for (size_t i = 0; i < 3; i++) {
		json_t *r = json_array_get(rows, i);
		assert_int_equal(json_integer_value(json_object_get(r, "echeance")),
		                 (int64_t)i + 1);
		assert_int_equal(json_integer_value(json_object_get(r, "montant")), amounts[i]);
		assert_string_equal(json_string_value(json_object_get(r, "date_prevue")), dates[i]);
		assert_string_equal(json_string_value(json_object_get(r, "state")), "prevu");
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "objet")),
	                    "Aide énergie (échéance 2/3)");
	json_decref(rows);

	/* 50 € left: 50,01 € is refused and nothing is written */
	assert_int_equal(schedule(f, f->dossier, transfer(payee, "50,01", "1", ""), &errors),
	                 CAS_EINVAL);
	const char *msg = json_string_value(json_object_get(errors, "montant"));
	assert_non_null(strstr(msg, "il reste 50,00"));
	json_decref(errors);
	assert_int_equal(count(f->db, "SELECT count(*) FROM payments"), 3);
	ok(schedule(f, f->dossier, transfer(payee, "50", "", ""), &errors), errors, "the rest");
	assert_int_equal(count(f->db, "SELECT count(*) FROM payments"), 4);
	int err;
	json_t *v = payment_dossier_view(f->db, &f->valideur, f->dossier, &err);
	assert_int_equal(json_integer_value(json_object_get(v, "reste")), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "engage")), 30000);
	json_decref(v);

	/* bad input: every field named */
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "mode", "virement", "montant", "-3",
	                       "echeances", "13", "date_prevue", "2026-02-30", "objet", "");
	assert_int_equal(schedule(f, f->dossier, in, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "payee_id"));
	assert_non_null(json_object_get(errors, "montant"));
	assert_non_null(json_object_get(errors, "echeances"));
	assert_non_null(json_object_get(errors, "date_prevue"));
	expect_error(errors, "objet");
}

static void no_payment_without_a_grant(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t payee = add_payee(f, "bailleur", "Office HLM", IBAN_OTHER);
	int64_t other = make_dossier(f); /* a brouillon */
	assert_int_equal(schedule(f, other, transfer(payee, "10", "1", ""), &errors), CAS_EINVAL);
	expect_error(errors, "paiement");
	assert_int_equal(count(f->db, "SELECT count(*) FROM payments"), 0);
}

/* ---- acts ---- */

static int act(struct fixture *f, int64_t payment, const char *action, const char *date,
               json_t **errors)
{
	json_t *in = json_pack("{s:s}", "date", date);
	int rc = payment_act(f->db, &f->instr, f->dossier, payment, action, in, errors);
	json_decref(in);
	return rc;
}

static int64_t payment_id(struct db *db, int64_t dossier, int echeance)
{
	int64_t id = 0;
	assert_int_equal(q_int(db, &id,
	                       "SELECT id FROM payments WHERE dossier_id = ? AND echeance = ?",
	                       "ii", dossier, (int64_t)echeance),
	                 1);
	return id;
}

static void acts_move_the_dossier_to_payment_then_closure(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t payee = add_payee(f, "beneficiaire", "", IBAN_OK);
	ok(schedule(f, f->dossier, transfer(payee, "300", "2", "2026-03-01"), &errors), errors,
	   "schedule");
	int64_t p1 = payment_id(f->db, f->dossier, 1), p2 = payment_id(f->db, f->dossier, 2);

	assert_int_equal(act(f, p1, "payer", "", &errors), CAS_EINVAL); /* not mandated yet */
	expect_error(errors, "action");
	assert_int_equal(act(f, p1, "mandater", "2026-03-16", &errors), CAS_EINVAL); /* future */
	expect_error(errors, "date");
	assert_int_equal(act(f, p1, "remettre", "", &errors), CAS_EINVAL); /* a transfer */
	expect_error(errors, "action");

	ok(act(f, p1, "mandater", "2026-03-12", &errors), errors, "mandater");
	assert_string_equal(state_of(f->db, f->dossier), "paiement");
	assert_int_equal(act(f, p1, "payer", "2026-03-11", &errors), CAS_EINVAL); /* before */
	expect_error(errors, "action");
	ok(act(f, p1, "payer", "", &errors), errors, "payer");
	assert_string_equal(state_of(f->db, f->dossier), "paiement");
	ok(act(f, p2, "mandater", "", &errors), errors, "mandater 2");
	ok(act(f, p2, "payer", "", &errors), errors, "payer 2");
	assert_string_equal(state_of(f->db, f->dossier), "cloture");
	assert_int_equal(act(f, p2, "payer", "", &errors), CAS_EINVAL); /* twice */
	expect_error(errors, "action");
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'payment' AND action IN ('mandatement', 'paiement')"),
	                 4);
	/* 2 scheduled, 2 mandated, 2 paid, and the workflow's notifié -> paiement */
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events WHERE kind = "
	                              "'paiement'"),
	                 7);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events WHERE kind = "
	                              "'cloture'"),
	                 1);
	json_t *row =
	    q_row(f->db, NULL, "SELECT paye_le, mandate_le FROM payments WHERE id = ?", "i", p1);
	assert_string_equal(json_string_value(json_object_get(row, "paye_le")), "2026-03-15");
	assert_string_equal(json_string_value(json_object_get(row, "mandate_le")), "2026-03-12");
	json_decref(row);
}

static void cancelling_frees_the_amount(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t payee = add_payee(f, "autre", "Épicerie solidaire", IBAN_OTHER);
	ok(schedule(f, f->dossier, transfer(payee, "300", "1", ""), &errors), errors, "schedule");
	int64_t p = payment_id(f->db, f->dossier, 1);
	ok(act(f, p, "annuler", "", &errors), errors, "annuler");
	assert_int_equal(act(f, p, "mandater", "", &errors), CAS_EINVAL);
	expect_error(errors, "action");
	ok(schedule(f, f->dossier, transfer(payee, "300", "1", ""), &errors), errors, "again");
	assert_int_equal(payment_id(f->db, f->dossier, 2) > 0, 1);
}

static void aid_in_kind_with_vouchers(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s}", "mode", "nature", "bons", "BA-001, BA-002\nBA-003",
	              "valeur_bon", "20", "objet", "Bons alimentaires");
	ok(schedule(f, f->dossier, in, &errors), errors, "nature");
	assert_int_equal(count(f->db, "SELECT montant FROM payments"), 6000);
	assert_int_equal(count(f->db, "SELECT count(*) FROM payment_vouchers"), 3);
	/* a voucher number is given once in the CCAS: nothing written */
	in = json_pack("{s:s, s:s, s:s, s:s}", "mode", "nature", "bons", "BA-004 BA-002",
	               "valeur_bon", "20", "objet", "Bons");
	assert_int_equal(schedule(f, f->dossier, in, &errors), CAS_EINVAL);
	expect_error(errors, "bons");
	assert_int_equal(count(f->db, "SELECT count(*) FROM payments"), 1);
	in = json_pack("{s:s, s:s, s:s, s:s}", "mode", "nature", "bons", "BA-9 BA-9", "valeur_bon",
	               "20", "objet", "Bons");
	assert_int_equal(schedule(f, f->dossier, in, &errors), CAS_EINVAL);
	expect_error(errors, "bons");
	int64_t p = payment_id(f->db, f->dossier, 1);
	assert_int_equal(act(f, p, "mandater", "", &errors), CAS_EINVAL);
	expect_error(errors, "action");
	ok(act(f, p, "remettre", "", &errors), errors, "remettre");
	assert_string_equal(state_of(f->db, f->dossier), "paiement");
	int err;
	json_t *v = payment_dossier_view(f->db, &f->instr, f->dossier, &err);
	json_t *pay = json_array_get(json_object_get(v, "payments"), 0);
	assert_int_equal(json_array_size(json_object_get(pay, "bons")), 3);
	assert_string_equal(json_string_value(json_object_get(pay, "state_label")), "Remis");
	json_decref(v);
}

/* ---- permissions and isolation ---- */

static void permissions_and_isolation(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id, payee = add_payee(f, "bailleur", "Office HLM", IBAN_OTHER);
	int err;
	json_t *in = json_pack("{s:s, s:s, s:s}", "kind", "bailleur", "nom", "X", "iban", IBAN_OK);
	assert_int_equal(payee_create(f->db, &f->accueil, f->dossier, in, &id, &errors), CAS_EPERM);
	assert_int_equal(payee_create(f->db, &f->auditeur, f->dossier, in, &id, &errors),
	                 CAS_EPERM);
	assert_int_equal(payee_create(f->db, &f->instr_b, f->dossier, in, &id, &errors),
	                 CAS_ENOTFOUND);
	json_decref(in);
	json_t *v = payment_dossier_view(f->db, &f->auditeur, f->dossier, &err);
	assert_non_null(v);
	assert_false(json_is_true(json_object_get(v, "can_write")));
	json_decref(v);
	assert_null(payment_dossier_view(f->db, &f->admin, f->dossier, &err));
	assert_int_equal(err, CAS_EPERM);
	assert_null(payment_dossier_view(f->db, &f->instr_b, f->dossier, &err));
	assert_int_equal(err, CAS_ENOTFOUND);

	/* a payee of another CCAS is no payee of this dossier */
	int64_t foreign = 0;
	assert_int_equal(q_int(f->db, &foreign,
	                       "INSERT INTO payees (tenant_id, kind, nom, iban, bic, created_at) "
	                       "VALUES (?, 'bailleur', 'Bailleur B', ?, '', 0) RETURNING id",
	                       "it", f->tb, IBAN_NORM),
	                 1);
	assert_int_equal(schedule(f, f->dossier, transfer(foreign, "10", "1", ""), &errors),
	                 CAS_EINVAL);
	expect_error(errors, "payee_id");
	ok(schedule(f, f->dossier, transfer(payee, "10", "1", ""), &errors), errors, "schedule");
	int64_t pid = payment_id(f->db, f->dossier, 1);
	in = json_object();
	assert_int_equal(payment_act(f->db, &f->instr_b, f->dossier, pid, "mandater", in, &errors),
	                 CAS_ENOTFOUND);
	assert_int_equal(payment_act(f->db, &f->accueil, f->dossier, pid, "mandater", in, &errors),
	                 CAS_EPERM);
	json_decref(in);
	struct payment_query q = {.etat = "", .aide = "", .du = "", .au = "", .limit = 25};
	int64_t total = -1;
	json_t *rows = payment_list(f->db, &f->instr_b, &q, &total, NULL, &err, &errors);
	assert_int_equal(total, 0);
	json_decref(rows);
	rows = payment_list(f->db, &f->instr, &q, &total, NULL, &err, &errors);
	assert_int_equal(total, 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(rows, 0), "payee_nom")), "Office HLM");
	json_decref(rows);
}

/* ---- budgets ---- */

static void set_envelope(struct fixture *f, const char *annee, const char *montant)
{
	json_t *errors = NULL;
	json_t *in = json_pack("{s:I, s:s, s:s}", "aid_type_id", (json_int_t)f->aid, "annee", annee,
	                       "montant", montant);
	ok(budget_set(f->db, &f->admin, in, &errors), errors, "budget_set");
	json_decref(in);
}

static void budget_figures_of_a_year(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	json_t *in = json_pack("{s:I, s:s, s:s}", "aid_type_id", (json_int_t)f->aid, "annee",
	                       "1999", "montant", "abc");
	assert_int_equal(budget_set(f->db, &f->admin, in, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "annee"));
	expect_error(errors, "montant");
	assert_int_equal(budget_set(f->db, &f->instr, in, &errors), CAS_EPERM);
	json_decref(in);
	set_envelope(f, "2026", "1 000");
	set_envelope(f, "2026", "1000,50"); /* replaced */
	/* a decision of 2025 does not count in 2026; one on 1 January 00:30 Paris does */
	int64_t d2 = make_dossier(f), d3 = make_dossier(f);
	grant(f->db, d2, "notifie", 50000, clock_make(2025, 12, 31, 22, 59, 0));
	grant(f->db, d3, "notifie", 20000, clock_make(2025, 12, 31, 23, 30, 0));
	int64_t payee = add_payee(f, "bailleur", "Office HLM", IBAN_OTHER);
	ok(schedule(f, f->dossier, transfer(payee, "100", "1", ""), &errors), errors, "schedule");
	int64_t p = payment_id(f->db, f->dossier, 1);
	ok(act(f, p, "mandater", "", &errors), errors, "mandater");
	ok(act(f, p, "payer", "", &errors), errors, "payer");
	int err;
	json_t *b = budget_year(f->db, &f->admin, 2026, 0, &err);
	json_t *row = json_array_get(json_object_get(b, "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "alloue")), 100050);
	assert_int_equal(json_integer_value(json_object_get(row, "engage")), 50000);
	assert_int_equal(json_integer_value(json_object_get(row, "paye")), 10000);
	assert_int_equal(json_integer_value(json_object_get(row, "restant")), 50050);
	assert_int_equal(json_integer_value(json_object_get(row, "pourcentage")), 49);
	json_decref(b);
	b = budget_year(f->db, &f->admin, 2025, f->aid, &err);
	row = json_array_get(json_object_get(b, "rows"), 0);
	assert_true(json_is_null(json_object_get(row, "alloue")));
	assert_int_equal(json_integer_value(json_object_get(row, "engage")), 50000);
	json_decref(b);
	assert_null(budget_year(f->db, &f->instr, 2026, 0, &err));
	assert_int_equal(err, CAS_EPERM);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'budget'"),
	                 2);
}

static void overrun_warns_or_blocks(void **state)
{
	struct fixture *f = *state;
	json_t *warning = NULL, *errors = NULL;
	/* no envelope: no limit */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(budget_check_commit(f->db, &f->valideur, f->aid, 2026, 900000, &warning),
	                 0);
	assert_null(warning);
	db_rollback(f->db);
	set_envelope(f, "2026", "400"); /* 300 committed by the fixture's dossier */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(budget_check_commit(f->db, &f->valideur, f->aid, 2026, 10000, &warning),
	                 0);
	assert_null(warning);
	assert_int_equal(budget_check_commit(f->db, &f->valideur, f->aid, 2026, 15000, &warning),
	                 0);
	assert_non_null(warning);
	assert_int_equal(json_integer_value(json_object_get(warning, "depassement")), 5000);
	assert_non_null(strstr(json_string_value(json_object_get(warning, "message")), "Aide à"));
	json_decref(warning);
	/* the workflow's hook in this mode: no error, an entry in the dossier's history */
	json_t *d = json_pack("{s:I, s:I}", "id", (json_int_t)f->dossier, "aid_type_id",
	                      (json_int_t)f->aid);
	errors = json_object();
	assert_int_equal(budget_decision_check(f->db, &f->valideur, d, 15000, errors), 0);
	assert_int_equal(json_object_size(errors), 0);
	json_decref(errors);
	json_decref(d);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events WHERE kind = 'budget' "
	                              "AND detail LIKE 'Décision au-delà de l''enveloppe 2026%'"),
	                 1);
	db_rollback(f->db);
	json_t *in = json_pack("{s:s}", "depassement", "refuser");
	assert_int_equal(budget_set_overrun(f->db, &f->admin, in, &errors), CAS_EINVAL);
	expect_error(errors, "depassement");
	json_object_set_new(in, "depassement", json_string("bloquer"));
	assert_int_equal(budget_set_overrun(f->db, &f->instr, in, &errors), CAS_EPERM);
	ok(budget_set_overrun(f->db, &f->admin, in, &errors), errors, "bloquer");
	json_decref(in);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(budget_check_commit(f->db, &f->valideur, f->aid, 2026, 15000, &warning),
	                 CAS_EINVAL);
	assert_non_null(strstr(json_string_value(json_object_get(warning, "message")), "refuse"));
	json_decref(warning);
	/* the workflow's hook: a field error on montant */
	d = json_pack("{s:I, s:I}", "id", (json_int_t)f->dossier, "aid_type_id",
	              (json_int_t)f->aid);
	errors = json_object();
	assert_int_equal(budget_decision_check(f->db, &f->valideur, d, 15000, errors), 0);
	expect_error(errors, "montant");
	json_decref(d);
	db_rollback(f->db);
}

/* ---- exports ---- */

static void exports_are_audited_and_reserved(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t payee = add_payee(f, "bailleur", "=Office; \"HLM\"", IBAN_OTHER);
	ok(schedule(f, f->dossier, transfer(payee, "120,5", "1", ""), &errors), errors, "schedule");
	int64_t p = payment_id(f->db, f->dossier, 1);
	ok(act(f, p, "mandater", "2026-03-02", &errors), errors, "mandater");
	struct export_file file;
	assert_int_equal(
	    export_treasury(f->db, &f->instr, "2026-03-01", "2026-03-31", &file, &errors),
	    CAS_EPERM);
	assert_int_equal(
	    export_treasury(f->db, &f->valideur, "2026-03-31", "2026-03-01", &file, &errors),
	    CAS_EINVAL);
	expect_error(errors, "au");
	ok(export_treasury(f->db, &f->valideur, "2026-03-01", "2026-03-31", &file, &errors), errors,
	   "treasury");
	char *text = strndup(file.data, file.len);
	const char *want =
	    "\xef\xbb\xbf"
	    "Bénéficiaire;IBAN;BIC;Montant;Objet;Référence du dossier;Date du "
	    "mandat\r\n\"'=Office; \"\"HLM\"\"\";DE89370400440532013000;;120,50;Aide "
	    "énergie;";
	if (strncmp(text, want, strlen(want)) != 0)
		fail_msg("treasury file:\n%s", text);
	assert_non_null(strstr(text, ";02/03/2026\r\n"));
	assert_string_equal(file.filename, "tresorerie-2026-03-01-2026-03-31.csv");
	free(text);
	export_file_free(&file);
	/* nothing mandated in February */
	ok(export_treasury(f->db, &f->valideur, "2026-02-01", "2026-02-28", &file, &errors), errors,
	   "february");
	assert_int_equal(file.rows, 0);
	export_file_free(&file);

	struct dossier_query dq = {.etat = "", .aide = ""};
	assert_int_equal(export_dossiers(f->db, &f->instr, &dq, EXPORT_CSV, &file, &errors),
	                 CAS_EPERM);
	ok(export_dossiers(f->db, &f->admin, &dq, EXPORT_XLSX, &file, &errors), errors, "xlsx");
	assert_true(file.len > 100 && memcmp(file.data, "PK", 2) == 0);
	export_file_free(&file);
	struct payment_query pq = {.etat = "mandate", .aide = "", .du = "", .au = ""};
	assert_int_equal(export_payments(f->db, &f->admin, &pq, EXPORT_CSV, &file, &errors),
	                 CAS_EPERM); /* the administrateur does not read payments */
	ok(export_payments(f->db, &f->valideur, &pq, EXPORT_CSV, &file, &errors), errors, "csv");
	assert_int_equal(file.rows, 1);
	export_file_free(&file);
	pq.etat = "inconnu";
	assert_int_equal(export_payments(f->db, &f->valideur, &pq, EXPORT_CSV, &file, &errors),
	                 CAS_EINVAL);
	expect_error(errors, "etat");
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'export'"), 4);
}

/* ---- concurrent decisions on a blocking envelope ---- */

#define ROUNDS 12

struct decider {
	struct db *db;
	struct actor who;
	int64_t aid;
	int64_t dossiers[ROUNDS];
	pthread_barrier_t *go;
	int granted, refused, errors;
};

/* What the decision transition does: the check, then the decision, in one
 * transaction; a serialization conflict is retried. */
static int decide(struct decider *d, int64_t dossier)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		json_t *warning = NULL;
		int rc = db_begin(d->db);
		if (rc == 0)
			rc = budget_check_commit(d->db, &d->who, d->aid, 2026, 6000, &warning);
		json_decref(warning);
		/* the rest of a transition takes time: a window for the other one */
		usleep(20000);
		if (rc == 0)
			rc = q_exec(
			    d->db,
			    "UPDATE dossiers SET decision = 'accorde', montant_accorde = 6000, "
			    "decided_at = ?, state = 'decide' WHERE id = ?",
			    "ii", clock_make(2026, 3, 15, 10, 0, 0), dossier);
		rc = rc == 0 ? db_commit(d->db) : (db_rollback(d->db), rc);
		if (rc != CAS_ECONFLICT && rc != CAS_EDB)
			return rc;
		usleep(1000);
	}
	return CAS_EDB;
}

static void *decide_all(void *arg)
{
	struct decider *d = arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_barrier_wait(d->go);
		int rc = decide(d, d->dossiers[i]);
		if (rc == 0)
			d->granted++;
		else if (rc == CAS_EINVAL)
			d->refused++;
		else
			d->errors++;
	}
	return NULL;
}

static void open_second(struct fixture *f, struct db **b, char *path, size_t size)
{
	path[0] = '\0';
	if (!strstr(testdb_url(), ":memory:")) {
		assert_int_equal(db_open(testdb_url(), b), 0);
		return;
	}
	/* in-memory SQLite has no second connection: a file copy of the world */
	snprintf(path, size, "/tmp/cassis-budget-%ld.db", (long)getpid());
	unlink(path);
	char sql[128];
	snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", path);
	assert_int_equal(db_exec(f->db, sql), 0);
	testdb_close(f->db);
	char url[160];
	snprintf(url, sizeof(url), "sqlite:%s", path);
	assert_int_equal(db_open(url, &f->db), 0);
	assert_int_equal(db_open(url, b), 0);
}

static void concurrent_decisions_cannot_overspend(void **state)
{
	struct fixture *f = *state;
	set_envelope(f, "2026", "1000"); /* 300 committed: room for 11 decisions of 60 */
	json_t *in = json_pack("{s:s}", "depassement", "bloquer");
	json_t *errors = NULL;
	ok(budget_set_overrun(f->db, &f->admin, in, &errors), errors, "bloquer");
	json_decref(in);
	struct decider d[2];
	memset(d, 0, sizeof(d));
	for (int t = 0; t < 2; t++)
		for (int i = 0; i < ROUNDS; i++)
			d[t].dossiers[i] = make_dossier(f);
	struct db *second;
	char path[96];
	open_second(f, &second, path, sizeof(path));
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	pthread_t th[2];
	for (int t = 0; t < 2; t++) {
		d[t].db = t == 0 ? f->db : second;
		d[t].who = f->valideur;
		d[t].aid = f->aid;
		d[t].go = &go;
		assert_int_equal(pthread_create(&th[t], NULL, decide_all, &d[t]), 0);
	}
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&go);
	db_close(second);
	assert_int_equal(d[0].errors + d[1].errors, 0);
	assert_int_equal(d[0].granted + d[1].granted, 11);
	assert_int_equal(d[0].refused + d[1].refused, 2 * ROUNDS - 11);
	assert_int_equal(count(f->db, "SELECT sum(montant_accorde) FROM dossiers WHERE decision = "
	                              "'accorde'"),
	                 96000);
	if (path[0])
		unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(payee_iban_is_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(instalments_stay_within_the_grant, setup, teardown),
	    cmocka_unit_test_setup_teardown(no_payment_without_a_grant, setup, teardown),
	    cmocka_unit_test_setup_teardown(acts_move_the_dossier_to_payment_then_closure, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(cancelling_frees_the_amount, setup, teardown),
	    cmocka_unit_test_setup_teardown(aid_in_kind_with_vouchers, setup, teardown),
	    cmocka_unit_test_setup_teardown(permissions_and_isolation, setup, teardown),
	    cmocka_unit_test_setup_teardown(budget_figures_of_a_year, setup, teardown),
	    cmocka_unit_test_setup_teardown(overrun_warns_or_blocks, setup, teardown),
	    cmocka_unit_test_setup_teardown(exports_are_audited_and_reserved, setup, teardown),
	    cmocka_unit_test_setup_teardown(concurrent_decisions_cannot_overspend, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
