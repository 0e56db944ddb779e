/* Households, the aid catalogue and dossiers, against an in-memory
 * database: validation writes nothing, numbering, transitions, what each
 * role sees, tenant isolation and the audit trail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/dossiers.h"
#include "app/home.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	struct actor admin, instr, accueil, valideur, instr_b;
	int64_t gaelle, noel, other; /* persons of tenant A; other: an unrelated one */
	int64_t aid, aid_off;        /* an active and a deactivated aid type of A */
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

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

static void actor(struct actor *who, int64_t tenant, enum role role, const char *label)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", label);
}

static int64_t make_person(struct fixture *f, const char *nom, const char *prenom, const char *sexe)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom, "prenom1",
	              prenom, "sexe", sexe, "date_naissance", "1984-00-00", "lieu_type", "commune",
	              "commune_naissance", "75056", "nationalite", "francaise");
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = person_create(f->db, &f->accueil, in, &id, &errors);
	if (rc != 0) {
		char *s = json_dumps(errors, 0);
		print_error("person_create: %d %s\n", rc, s ? s : "");
		free(s);
	}
	assert_int_equal(rc, 0);
	json_decref(in);
	return id;
}

static int64_t make_aid(struct fixture *f, const char *code, const char *label)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", code, "label", label, "description", "");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	int64_t ta = make_tenant(f->db, "21750001600019");
	int64_t tb = make_tenant(f->db, "21690123100011");
	actor(&f->admin, ta, ROLE_ADMINISTRATEUR, "admin@a.fr");
	actor(&f->instr, ta, ROLE_INSTRUCTEUR, "instr@a.fr");
	actor(&f->accueil, ta, ROLE_ACCUEIL, "accueil@a.fr");
	actor(&f->valideur, ta, ROLE_VALIDEUR, "valideur@a.fr");
	actor(&f->instr_b, tb, ROLE_INSTRUCTEUR, "instr@b.fr");
	f->gaelle = make_person(f, "Lefèvre", "Gaëlle", "F");
	f->noel = make_person(f, "Lefèvre", "Noël", "M");
	f->other = make_person(f, "N'Diaye", "Aminata", "F");
	f->aid = make_aid(f, "aide_alimentaire", "Aide alimentaire");
	f->aid_off = make_aid(f, "vacances", "Aide aux vacances");
	assert_int_equal(aid_type_set_active(f->db, &f->admin, f->aid_off, 0), 0);
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

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static int64_t make_household(struct fixture *f)
{
	json_t *in = json_pack("{s:I}", "demandeur_id", (json_int_t)f->gaelle);
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(household_create(f->db, &f->accueil, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void expect_error(json_t *errors, const char *field)
{
	if (!json_object_get(errors, field))
		fail_msg("no error on %s", field);
	json_decref(errors);
}

static void aid_catalogue_is_checked(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id;
	json_t *in = json_pack("{s:s, s:s}", "code", "aide_alimentaire", "label", "Doublon");
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &id, &errors), CAS_EINVAL);
	expect_error(errors, "code");
	assert_int_equal(aid_type_create(f->db, &f->instr, in, &id, &errors), CAS_EPERM);
	json_decref(in);
	in = json_pack("{s:s, s:s}", "code", "Énergie", "label", "");
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "label"));
	expect_error(errors, "code");
	json_decref(in);
	int err;
	json_t *active = aid_type_list(f->db, &f->accueil, 1, &err);
	assert_int_equal(json_array_size(active), 1);
	json_decref(active);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'aid_type'"),
	                 3);
}

static void household_label_and_members(void **state)
{
	struct fixture *f = *state;
	int64_t hid = make_household(f);
	int err;
	json_t *h = household_get(f->db, &f->valideur, hid, &err);
	assert_string_equal(json_string_value(json_object_get(h, "label")), "Foyer LEFÈVRE Gaëlle");
	assert_int_equal(json_integer_value(json_object_get(h, "demandeur_id")), f->gaelle);
	json_decref(h);

	int64_t mid;
	json_t *errors = NULL;
	json_t *in = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)f->noel, "relation",
	                       "demandeur", "date_entree", "2026-01-01");
	assert_int_equal(household_add_member(f->db, &f->accueil, hid, in, &mid, &errors),
	                 CAS_EINVAL);
	expect_error(errors, "relation");
	json_object_set_new(in, "relation", json_string("conjoint"));
	json_object_set_new(in, "date_entree", json_string("2027-01-01"));
	assert_int_equal(household_add_member(f->db, &f->accueil, hid, in, &mid, &errors),
	                 CAS_EINVAL);
	expect_error(errors, "date_entree");
	json_object_set_new(in, "date_entree", json_string("01/01/2026"));
	assert_int_equal(household_add_member(f->db, &f->accueil, hid, in, &mid, &errors), 0);
	assert_int_equal(household_add_member(f->db, &f->accueil, hid, in, &mid, &errors),
	                 CAS_EINVAL);
	expect_error(errors, "person_id");
	json_decref(in);

	in = json_pack("{s:s}", "date_sortie", "2025-12-31");
	assert_int_equal(household_member_exit(f->db, &f->accueil, hid, mid, in, &errors),
	                 CAS_EINVAL);
	expect_error(errors, "date_sortie");
	json_object_set_new(in, "date_sortie", json_string("2026-03-01"));
	assert_int_equal(household_member_exit(f->db, &f->accueil, hid, mid, in, &errors), 0);
	assert_int_equal(household_member_exit(f->db, &f->valideur, hid, mid, in, &errors),
	                 CAS_EPERM);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM household_members WHERE date_sortie "
	                              "= '2026-03-01'"),
	                 1);
	/* Another tenant sees nothing. */
	assert_null(household_get(f->db, &f->instr_b, hid, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
}

static int64_t open_dossier(struct fixture *f, int64_t hid, const char *montant)
{
	json_t *in =
	    json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid, "aid_type_id",
	              (json_int_t)f->aid, "motif", "Facture impayée", "montant_demande", montant);
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(dossier_create(f->db, &f->accueil, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void dossier_creation_is_validated(void **state)
{
	struct fixture *f = *state;
	int64_t hid = make_household(f);
	json_t *errors = NULL;
	int64_t id;
	json_t *in = json_pack("{s:I, s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid,
	                       "aid_type_id", (json_int_t)f->aid_off, "applicant_id",
	                       (json_int_t)f->other, "motif", "", "montant_demande", "12,345");
	assert_int_equal(dossier_create(f->db, &f->accueil, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "aid_type_id"));
	assert_non_null(json_object_get(errors, "applicant_id"));
	assert_non_null(json_object_get(errors, "motif"));
	assert_string_equal(json_string_value(json_object_get(errors, "montant_demande")),
	                    "Le montant ne peut pas comporter plus de deux décimales.");
	json_decref(errors);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossiers"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events"), 0);

	int64_t a = open_dossier(f, hid, "1 234,56");
	int64_t b = open_dossier(f, hid, "80");
	int err;
	json_t *d = dossier_get(f->db, &f->instr, b, &err);
	assert_string_equal(json_string_value(json_object_get(d, "numero")), "2026-00002");
	assert_int_equal(json_integer_value(json_object_get(d, "applicant_id")), f->gaelle);
	json_decref(d);
	d = dossier_get(f->db, &f->instr, a, &err);
	assert_string_equal(json_string_value(json_object_get(d, "numero")), "2026-00001");
	assert_int_equal(json_integer_value(json_object_get(d, "montant_demande")), 123456);
	json_decref(d);
	/* Another tenant's household is not found, and its numbering is its own. */
	in = json_pack("{s:I, s:I, s:s, s:I}", "household_id", (json_int_t)hid, "aid_type_id",
	               (json_int_t)f->aid, "motif", "x", "montant_demande_centimes",
	               (json_int_t)100);
	assert_int_equal(dossier_create(f->db, &f->instr_b, in, &id, &errors), CAS_EINVAL);
	expect_error(errors, "household_id");
	json_decref(in);
	assert_null(dossier_get(f->db, &f->instr_b, a, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
}

static void update_state(struct fixture *f, const struct actor *who, int64_t id, const char *etat,
                         int expect)
{
	json_t *in = json_pack("{s:s}", "etat", etat);
	json_t *errors = NULL;
	assert_int_equal(dossier_update(f->db, who, id, in, &errors), expect);
	if (expect == CAS_EINVAL)
		expect_error(errors, "etat");
	else
		assert_null(errors);
	json_decref(in);
}

static void dossier_life_cycle(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_dossier(f, make_household(f), "150");
	update_state(f, &f->valideur, id, "depose", CAS_EPERM);
	update_state(f, &f->instr, id, "en_instruction", CAS_EINVAL);
	update_state(f, &f->accueil, id, "depose", 0); /* the front desk deposits */
	update_state(f, &f->instr, id, "brouillon", CAS_EINVAL);

	json_t *errors = NULL;
	int64_t line;
	json_t *in = json_pack("{s:s, s:s}", "category", "loyer", "montant", "450,50");
	assert_int_equal(dossier_add_line(f->db, &f->accueil, id, in, &line, &errors), CAS_EPERM);
	assert_int_equal(dossier_add_line(f->db, &f->instr, id, in, &line, &errors), 0);
	json_decref(in);
	in = json_pack("{s:s, s:I}", "category", "salaire", "montant_centimes", (json_int_t)120000);
	assert_int_equal(dossier_add_line(f->db, &f->instr, id, in, &line, &errors), 0);
	json_decref(in);
	in = json_pack("{s:s}", "note", "Rendez-vous fixé avec l'assistante sociale.");
	assert_int_equal(dossier_add_note(f->db, &f->instr, id, in, &errors), 0);
	json_decref(in);

	int err;
	json_t *d = dossier_get(f->db, &f->valideur, id, &err);
	json_t *totals = json_object_get(d, "totals");
	assert_int_equal(json_integer_value(json_object_get(totals, "reste_a_vivre")), 74950);
	json_decref(d);
	d = dossier_get(f->db, &f->accueil, id, &err);
	assert_null(json_object_get(d, "lines"));
	assert_null(json_object_get(d, "totals"));
	char *text = json_dumps(d, 0);
	assert_null(strstr(text, "assistante"));
	free(text);
	json_decref(d);

	/* a classement sans suite says why: through the workflow with its motif */
	in = json_pack("{s:s}", "etat", "cloture");
	assert_int_equal(dossier_update(f->db, &f->instr, id, in, &errors), CAS_EINVAL);
	expect_error(errors, "motif");
	json_decref(in);
	in = json_pack("{s:s}", "motif", "Le demandeur a retiré sa demande.");
	assert_int_equal(workflow_transition(f->db, &f->instr, id, "cloture", in, &errors), 0);
	json_decref(in);
	update_state(f, &f->instr, id, "en_instruction", CAS_EINVAL);
	in = json_pack("{s:s}", "note", "Trop tard.");
	assert_int_equal(dossier_add_note(f->db, &f->instr, id, in, &errors), CAS_ECONFLICT);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events WHERE kind IN "
	                              "('depot', 'cloture')"),
	                 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'dossier'"),
	                 6);
}

static void lists_and_dashboard(void **state)
{
	struct fixture *f = *state;
	int64_t hid = make_household(f);
	for (int i = 0; i < 3; i++)
		open_dossier(f, hid, "10");
	struct dossier_query q = {.etat = "brouillon", .aide = "aide_alimentaire", .limit = 2};
	int64_t total = 0;
	int err;
	json_t *errors = NULL;
	json_t *rows = dossier_list(f->db, &f->valideur, &q, &total, &err, &errors);
	assert_int_equal(total, 3);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
	q.etat = "perdu";
	assert_null(dossier_list(f->db, &f->valideur, &q, &total, &err, &errors));
	assert_int_equal(err, CAS_EINVAL);
	expect_error(errors, "etat");
	json_t *home = home_summary(f->db, &f->valideur, &err);
	json_t *c = json_array_get(json_object_get(home, "counts"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "label")), "Brouillon");
	assert_int_equal(json_integer_value(json_object_get(c, "n")), 3);
	json_decref(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(aid_catalogue_is_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(household_label_and_members, setup, teardown),
	    cmocka_unit_test_setup_teardown(dossier_creation_is_validated, setup, teardown),
	    cmocka_unit_test_setup_teardown(dossier_life_cycle, setup, teardown),
	    cmocka_unit_test_setup_teardown(lists_and_dashboard, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
