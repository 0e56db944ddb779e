/* Aid types as data, rule versions, evaluations and simulations against a
 * database (the store suite: SQLite in memory, or PostgreSQL through
 * CASSIS_TEST_DB): a rule that does not parse is never stored and says
 * where it is wrong, active versions never overlap, the version in force
 * at the deposit date is the one used, a decided dossier keeps its
 * evaluation whatever versions come later, certified data win over
 * declared data, export and import round-trip, tenants and roles are kept
 * apart, and every mutation is audited. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/aid_rules.h"
#include "app/dossiers.h"
#include "app/evaluate.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/simulate.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

/* Coupon by CAF QF: 150 € up to 500, 80 € up to 800, nothing above. */
static const char rule_v1[] =
    "{\"conditions\": [{\"libelle\": \"Quotient familial CAF de 800 € au plus\",\n"
    "                   \"expression\": \"qf_caf <= 800\"}],\n"
    " \"montant\": \"bareme(\\\"m\\\", qf_caf)\",\n"
    " \"baremes\": {\"m\": {\"libelle\": \"Montant\", \"unite\": \"euros\", \"tranches\": [\n"
    "   {\"max\": \"500\", \"max_inclus\": true, \"valeur\": \"150\"},\n"
    "   {\"min\": \"500\", \"min_inclus\": false, \"max\": \"800\", \"max_inclus\": true,\n"
    "    \"valeur\": \"80\"}]}}}";
/* The same aid, more generous. */
static const char rule_v2[] = "{\"conditions\": [{\"libelle\": \"QF CAF de 1000 € au plus\", "
                              "\"expression\": \"qf_caf <= 1000\"}], \"montant\": \"300\"}";

struct fixture {
	struct db *db;
	struct actor admin, instr, accueil, auditeur, admin_b, instr_b, cli;
	int64_t tenant;
	int64_t person, household;
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static int64_t make_tenant(struct db *db, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "67218");
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

static void make_household(struct fixture *f)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "Keller", "prenom1",
	              "Odile", "sexe", "F", "date_naissance", "1980-02-10", "lieu_type", "commune",
	              "commune_naissance", "67218", "nationalite", "francaise");
	json_t *errors = NULL;
	assert_int_equal(person_create(f->db, &f->instr, in, &f->person, &errors), 0);
	json_decref(in);
	in = json_pack("{s:I}", "demandeur_id", (json_int_t)f->person);
	assert_int_equal(household_create(f->db, &f->instr, in, &f->household, &errors), 0);
	json_decref(in);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	f->tenant = make_tenant(f->db, "21750001600019");
	int64_t tb = make_tenant(f->db, "21690123100011");
	actor(&f->admin, f->tenant, ROLE_ADMINISTRATEUR, "admin@a.fr");
	actor(&f->instr, f->tenant, ROLE_INSTRUCTEUR, "instr@a.fr");
	actor(&f->accueil, f->tenant, ROLE_ACCUEIL, "accueil@a.fr");
	actor(&f->auditeur, f->tenant, ROLE_AUDITEUR, "audit@a.fr");
	actor(&f->admin_b, tb, ROLE_ADMINISTRATEUR, "admin@b.fr");
	actor(&f->instr_b, tb, ROLE_INSTRUCTEUR, "instr@b.fr");
	actor(&f->cli, f->tenant, ROLE_SYSTEME, "ligne de commande");
	make_household(f);
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

static void expect_error(json_t *errors, const char *field, const char *contains)
{
	const char *m = json_string_value(json_object_get(errors, field));
	if (!m) {
		char *s = json_dumps(errors, 0);
		fail_msg("no error on %s: %s", field, s ? s : "(null)");
	}
	if (contains && !strstr(m, contains))
		fail_msg("error on %s: \"%s\" lacks \"%s\"", field, m, contains);
	json_decref(errors);
}

static int64_t make_aid(struct fixture *f, const char *code)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", code, "label", "Coupon sport",
	              "description", "Pour les enfants.", "deliberation_numero", "2026-04",
	              "deliberation_date", "12/01/2026", "categorie", "loisirs", "pieces",
	              "Avis CAF\n\nJustificatif de domicile\n");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(aid_rules_create(f->db, &f->admin, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int64_t make_version(struct fixture *f, int64_t aid, const char *du, const char *au,
                            const char *doc, int activate)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "du", du, "au", au ? au : "", "document", doc);
	int64_t vid = 0;
	json_t *errors = NULL;
	int rc = rule_version_create(f->db, &f->admin, aid, in, &vid, &errors, NULL);
	if (rc != 0) {
		char *s = json_dumps(errors, 0);
		fail_msg("rule_version_create: %d %s", rc, s ? s : "");
	}
	json_decref(in);
	if (activate) {
		assert_int_equal(rule_version_activate(f->db, &f->admin, aid, vid, &errors), 0);
	}
	return vid;
}

static int64_t make_dossier(struct fixture *f, int64_t aid)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:I}", "household_id", (json_int_t)f->household,
	                       "aid_type_id", (json_int_t)aid, "motif", "Licence de judo",
	                       "montant_demande_centimes", (json_int_t)15000);
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(dossier_create(f->db, &f->instr, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

/* ---- aid types ---- */

static void aid_fields_are_checked_and_audited(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", "Coupon", "label", "",
	                       "deliberation_date", "31/02/2026", "categorie", "licorne",
	                       "champs_declares", "Revenus du foyer");
	assert_int_equal(aid_rules_create(f->db, &f->admin, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "label"));
	assert_non_null(json_object_get(errors, "deliberation_date"));
	assert_non_null(json_object_get(errors, "categorie"));
	assert_non_null(json_object_get(errors, "champs_declares"));
	expect_error(errors, "code", NULL);
	assert_int_equal(aid_rules_create(f->db, &f->instr, in, &id, &errors), CAS_EPERM);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM aid_types"), 0);

	id = make_aid(f, "coupon");
	int err;
	json_t *aid = aid_rules_get(f->db, &f->admin, id, &err);
	assert_non_null(aid);
	assert_string_equal(json_string_value(json_object_get(aid, "deliberation_date")),
	                    "2026-01-12");
	assert_int_equal(json_array_size(json_object_get(aid, "pieces")), 2);
	assert_string_equal(json_string_value(json_object_get(aid, "categorie_label")),
	                    "Culture, sport et vacances");
	json_decref(aid);

	in = json_pack("{s:s, s:s, s:[s, s]}", "label", "Coupon sport et culture", "description",
	               "", "champs_declares", "ressources_mensuelles", "montant_demande");
	assert_int_equal(aid_rules_update(f->db, &f->admin, id, in, &errors), 0);
	assert_int_equal(aid_rules_update(f->db, &f->admin_b, id, in, &errors), CAS_ENOTFOUND);
	json_decref(in);
	assert_null(aid_rules_get(f->db, &f->admin_b, id, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'aid_type' AND action = 'modification'"),
	                 1);
}

/* ---- rule versions ---- */

static void bad_rules_are_never_stored(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	int64_t vid;
	json_t *errors = NULL;
	struct rule_problem p;
	json_t *in = json_pack("{s:s, s:s}", "du", "2026-01-01", "document",
	                       "{\"conditions\": [\n  {\"libelle\": \"x\",, }]}");
	assert_int_equal(rule_version_create(f->db, &f->admin, aid, in, &vid, &errors, &p),
	                 CAS_EINVAL);
	assert_string_equal(p.kind, "json");
	assert_int_equal(p.line, 2);
	expect_error(errors, "document", "ligne 2, colonne");
	json_object_set_new(in, "document",
	                    json_string("{\"conditions\": [{\"libelle\": \"QF\", "
	                                "\"expression\": \"qf_caf <= \"}]}"));
	assert_int_equal(rule_version_create(f->db, &f->admin, aid, in, &vid, &errors, &p),
	                 CAS_EINVAL);
	assert_string_equal(p.kind, "regle");
	assert_string_equal(p.path, "/conditions/0/expression");
	assert_true(p.line >= 1 && p.column >= 1);
	expect_error(errors, "document", "/conditions/0/expression");
	json_object_set_new(in, "document", json_string("[1, 2]"));
	assert_int_equal(rule_version_create(f->db, &f->admin, aid, in, &vid, &errors, &p),
	                 CAS_EINVAL);
	expect_error(errors, "document", NULL);
	json_object_set_new(in, "document", json_string(rule_v1));
	json_object_set_new(in, "au", json_string("2025-12-31"));
	assert_int_equal(rule_version_create(f->db, &f->admin, aid, in, &vid, &errors, &p),
	                 CAS_EINVAL);
	expect_error(errors, "au", NULL);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM rule_versions"), 0);
}

static void versions_never_overlap(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	int64_t v1 = make_version(f, aid, "2025-01-01", NULL, rule_v1, 1);
	int64_t v2 = make_version(f, aid, "2026-03-01", NULL, rule_v2, 0);
	json_t *errors = NULL;
	assert_int_equal(rule_version_activate(f->db, &f->admin, aid, v2, &errors), CAS_EINVAL);
	expect_error(errors, "du", "recouvre");
	/* an active version's rule no longer changes */
	json_t *in = json_pack("{s:s, s:s}", "du", "2025-01-01", "document", rule_v2);
	assert_int_equal(rule_version_update(f->db, &f->admin, aid, v1, in, &errors, NULL),
	                 CAS_ECONFLICT);
	json_decref(in);
	in = json_pack("{s:s}", "au", "2026-02-28");
	assert_int_equal(rule_version_close(f->db, &f->admin, aid, v1, in, &errors), 0);
	json_decref(in);
	assert_int_equal(rule_version_activate(f->db, &f->admin, aid, v2, &errors), 0);
	/* reopening v1 would overlap v2 */
	in = json_pack("{s:s}", "au", "");
	assert_int_equal(rule_version_close(f->db, &f->admin, aid, v1, in, &errors), CAS_EINVAL);
	expect_error(errors, "du", NULL);
	json_decref(in);
	/* versions of another tenant's aid do not exist */
	assert_int_equal(rule_version_retire(f->db, &f->admin_b, aid, v1), CAS_ENOTFOUND);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'rule_version'"),
	                 5);
}

/* ---- evaluations ---- */

static void add_line(struct fixture *f, int64_t dossier, const char *cat, json_int_t cents)
{
	json_t *in = json_pack("{s:s, s:I}", "category", cat, "montant_centimes", cents);
	int64_t lid;
	json_t *errors = NULL;
	assert_int_equal(dossier_add_line(f->db, &f->instr, dossier, in, &lid, &errors), 0);
	json_decref(in);
}

/* A consultation as the consultation store writes it: a certified QF. */
static void certify_qf(struct fixture *f, int64_t dossier, int qf)
{
	char response[128];
	snprintf(response, sizeof(response),
	         "{\"quotient_familial\":{\"fournisseur\":\"CNAF\",\"valeur\":%d}}", qf);
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO consultations (tenant_id, dossier_id, agent_label, at, api, "
	           "endpoint, recipient, scopes, parameters, http_status, response, signature, "
	           "key_id, public_key) VALUES (?, ?, 'test', ?, 'particulier', '/v3', '1', "
	           "'cnaf_quotient_familial', '{}', 200, ?, 's', 'k', 'p')",
	           "iiit", f->tenant, dossier, clock_now(), response),
	    0);
}

static json_t *evaluation(struct fixture *f, const struct actor *who, int64_t dossier)
{
	int err;
	json_t *ev = dossier_evaluation(f->db, who, dossier, &err);
	assert_non_null(ev);
	return ev;
}

static const char *issue_of(json_t *e)
{
	return json_string_value(json_object_get(json_object_get(e, "result"), "issue"));
}

static json_int_t amount_of(json_t *e)
{
	return json_integer_value(
	    json_object_get(json_object_get(e, "result"), "montant_centimes"));
}

static void version_by_deposit_date(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	int64_t v1 = make_version(f, aid, "2025-01-01", "2026-02-28", rule_v1, 1);
	int64_t v2 = make_version(f, aid, "2026-03-01", NULL, rule_v2, 1);
	clock_set_override(clock_make(2026, 2, 10, 9, 0, 0));
	int64_t old = make_dossier(f, aid);
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	int64_t recent = make_dossier(f, aid);
	certify_qf(f, old, 450);
	certify_qf(f, recent, 450);

	json_t *ev = evaluation(f, &f->instr, old);
	json_t *cur = json_object_get(ev, "current");
	assert_string_equal(json_string_value(json_object_get(ev, "date_reference")), "2026-02-10");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cur, "version"), "id")),
	                 v1);
	assert_string_equal(issue_of(cur), "eligible");
	assert_int_equal(amount_of(cur), 15000);
	json_t *origins = json_object_get(json_object_get(cur, "inputs"), "origines");
	assert_string_equal(json_string_value(json_object_get(origins, "qf_caf")), "certifie");
	json_decref(ev);

	ev = evaluation(f, &f->instr, recent);
	cur = json_object_get(ev, "current");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cur, "version"), "id")),
	                 v2);
	assert_int_equal(amount_of(cur), 30000);
	json_decref(ev);

	/* before any version: cannot evaluate, says why */
	clock_set_override(clock_make(2024, 6, 1, 9, 0, 0));
	int64_t older = make_dossier(f, aid);
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	json_t *errors = NULL;
	int64_t eid;
	assert_int_equal(dossier_evaluate(f->db, &f->instr, older, &eid, &errors), CAS_EINVAL);
	expect_error(errors, "evaluation", "01/06/2024");
}

static void missing_data_then_declared_data(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	make_version(f, aid, "2025-01-01", NULL, rule_v1, 1);
	int64_t d = make_dossier(f, aid);
	json_t *ev = evaluation(f, &f->instr, d);
	json_t *cur = json_object_get(ev, "current");
	assert_string_equal(issue_of(cur), "indetermine");
	json_t *missing = json_object_get(json_object_get(cur, "result"), "manquants");
	assert_true(json_array_size(missing) >= 1);
	json_decref(ev);
	/* a declared budget: the QF is computed from declared data */
	add_line(f, d, "salaire", 90000);
	add_line(f, d, "loyer", 40000);
	ev = evaluation(f, &f->instr, d);
	cur = json_object_get(ev, "current");
	json_t *origins = json_object_get(json_object_get(cur, "inputs"), "origines");
	const char *o = json_string_value(json_object_get(origins, "qf_caf"));
	if (o)
		assert_string_equal(o, "declare");
	json_t *sources = json_object_get(json_object_get(cur, "inputs"), "sources");
	assert_true(json_array_size(sources) >= 4);
	json_decref(ev);
}

static void decided_dossier_keeps_its_evaluation(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	int64_t v1 = make_version(f, aid, "2025-01-01", NULL, rule_v1, 1);
	int64_t d = make_dossier(f, aid);
	certify_qf(f, d, 600);
	int64_t eid = 0;
	json_t *errors = NULL;
	assert_int_equal(dossier_evaluate(f->db, &f->accueil, d, &eid, &errors), CAS_EPERM);
	assert_int_equal(dossier_evaluate(f->db, &f->auditeur, d, &eid, &errors), CAS_EPERM);
	assert_int_equal(dossier_evaluate(f->db, &f->instr_b, d, &eid, &errors), CAS_ENOTFOUND);
	assert_int_equal(dossier_evaluate(f->db, &f->instr, d, &eid, &errors), 0);
	json_t *in = json_pack("{s:s}", "motif", "Le demandeur a renoncé.");
	assert_int_equal(workflow_transition(f->db, &f->instr, d, "cloture", in, &errors), 0);
	json_decref(in);

	/* a retroactive version now covers the dossier's deposit date */
	in = json_pack("{s:s}", "au", "2026-01-31");
	assert_int_equal(rule_version_close(f->db, &f->admin, aid, v1, in, &errors), 0);
	json_decref(in);
	int64_t v2 = make_version(f, aid, "2026-02-01", NULL, rule_v2, 1);
	assert_int_equal(dossier_evaluate(f->db, &f->instr, d, &eid, &errors), CAS_ECONFLICT);

	json_t *ev = evaluation(f, &f->auditeur, d);
	assert_true(json_is_true(json_object_get(ev, "decided")));
	assert_false(json_is_true(json_object_get(ev, "can_evaluate")));
	assert_null(json_object_get(ev, "current"));
	json_t *st = json_object_get(ev, "stored");
	assert_int_equal(json_integer_value(json_object_get(st, "rule_version_id")), v1);
	assert_int_equal(amount_of(st), 8000);
	json_decref(ev);
	assert_int_equal(count(f->db, "SELECT count(*) FROM evaluations"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'evaluation'"),
	                 1);

	/* an open dossier of the same date follows the new version */
	int64_t d2 = make_dossier(f, aid);
	certify_qf(f, d2, 600);
	assert_int_equal(dossier_evaluate(f->db, &f->instr, d2, &eid, &errors), 0);
	ev = evaluation(f, &f->instr, d2);
	st = json_object_get(ev, "stored");
	assert_int_equal(json_integer_value(json_object_get(st, "rule_version_id")), v2);
	assert_false(json_is_true(json_object_get(ev, "changed")));
	json_decref(ev);
	/* the evaluation of A's dossier is not B's to read */
	int err;
	assert_null(dossier_evaluation(f->db, &f->instr_b, d2, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_null(dossier_evaluation(f->db, &f->accueil, d2, &err));
	assert_int_equal(err, CAS_EPERM);
}

/* ---- export, import, simulation ---- */

static void export_then_import_elsewhere(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	make_version(f, aid, "2025-01-01", "2025-12-31", rule_v1, 1);
	make_version(f, aid, "2026-01-01", NULL, rule_v2, 0);
	int err;
	json_t *doc = aid_rules_export(f->db, &f->admin, aid, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "libelle")), "Coupon sport");
	json_t *versions = json_object_get(doc, "versions");
	assert_int_equal(json_array_size(versions), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(versions, 0), "du")),
	                    "2025-01-01");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(versions, 1), "statut")), "brouillon");

	int64_t id_b = 0;
	json_t *errors = NULL;
	assert_int_equal(aid_rules_import(f->db, &f->admin_b, doc, &id_b, &errors), 0);
	json_t *back = aid_rules_export(f->db, &f->admin_b, id_b, &err);
	assert_true(json_equal(doc, back));
	json_decref(back);
	/* the code is taken now */
	assert_int_equal(aid_rules_import(f->db, &f->admin_b, doc, &id_b, &errors), CAS_EINVAL);
	expect_error(errors, "code", NULL);
	/* a wrong rule in a version: nothing is imported, the error says where */
	json_object_set_new(doc, "code", json_string("autre"));
	json_t *v0 = json_array_get(versions, 0);
	json_object_set_new(v0, "montant", json_string("bareme(\"inconnu\", qf_caf)"));
	int64_t before = count(f->db, "SELECT count(*) FROM aid_types");
	assert_int_equal(aid_rules_import(f->db, &f->admin_b, doc, &id_b, &errors), CAS_EINVAL);
	const char *k;
	json_t *m;
	int found = 0;
	json_object_foreach(errors, k, m)
	{
		found |= strncmp(k, "versions/0/", 11) == 0;
	}
	assert_true(found);
	json_decref(errors);
	assert_int_equal(count(f->db, "SELECT count(*) FROM aid_types"), before);
	assert_int_equal(aid_rules_import(f->db, &f->instr, doc, &id_b, &errors), CAS_EPERM);
	json_decref(doc);
}

static void simulations(void **state)
{
	struct fixture *f = *state;
	int64_t aid = make_aid(f, "coupon");
	make_version(f, aid, "2025-01-01", NULL, rule_v1, 1);
	json_t *out = NULL, *errors = NULL;
	json_t *in = json_pack("{s:s, s:{s:i}, s:s}", "aide_code", "coupon", "situation", "qf_caf",
	                       480, "date", "2026-03-01");
	assert_int_equal(simulation_run(f->db, &f->instr, in, &out, &errors, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(out, "issue")), "eligible");
	assert_int_equal(json_integer_value(json_object_get(out, "montant_centimes")), 15000);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(out, "version"), "du")),
	    "2025-01-01");
	json_decref(out);
	assert_int_equal(simulation_run(f->db, &f->accueil, in, &out, &errors, NULL), CAS_EPERM);
	assert_int_equal(simulation_run(f->db, &f->instr_b, in, &out, &errors, NULL), CAS_EINVAL);
	expect_error(errors, "aide_code", NULL);
	json_object_set_new(in, "date", json_string("2024-12-31"));
	assert_int_equal(simulation_run(f->db, &f->instr, in, &out, &errors, NULL), CAS_EINVAL);
	expect_error(errors, "date", NULL);
	json_decref(in);

	in = json_pack("{s:{s:s}, s:{s:s}}", "regle", "montant", "montant_demande / 2", "situation",
	               "montant_demande", "45.50");
	assert_int_equal(simulation_run(f->db, &f->cli, in, &out, &errors, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "montant_centimes")), 2275);
	assert_true(json_is_null(json_object_get(out, "aide")));
	json_decref(out);
	struct rule_problem p;
	json_object_set_new(in, "regle", json_pack("{s:s}", "montant", "montant_demande /"));
	assert_int_equal(simulation_run(f->db, &f->cli, in, &out, &errors, &p), CAS_EINVAL);
	assert_string_equal(p.path, "/montant");
	expect_error(errors, "regle", "colonne");
	json_object_set_new(in, "situation", json_pack("{s:s}", "montant_demande", "abc"));
	json_object_set_new(in, "regle", json_pack("{s:s}", "montant", "montant_demande"));
	assert_int_equal(simulation_run(f->db, &f->cli, in, &out, &errors, NULL), CAS_EINVAL);
	expect_error(errors, "situation.montant_demande", NULL);
	json_decref(in);

	assert_int_equal(simulation_test_draft(f->db, &f->admin, rule_v1, "{\"qf_caf\": 700}", "",
	                                       &out, &errors, NULL),
	                 0);
	assert_int_equal(json_integer_value(json_object_get(out, "montant_centimes")), 8000);
	json_decref(out);
	assert_int_equal(simulation_test_draft(f->db, &f->admin, rule_v1, "{\"qf_caf\": ", "", &out,
	                                       &errors, NULL),
	                 CAS_EINVAL);
	expect_error(errors, "situation", NULL);
}

static void caf_parts_table(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int err;
	assert_null(caf_parts_get(f->db, &f->admin, &err));
	assert_int_equal(err, 0);
	assert_int_equal(caf_parts_set(f->db, &f->admin, "{\"couple\": \"-1\"}", &errors),
	                 CAS_EINVAL);
	expect_error(errors, "caf_parts", NULL);
	const char *brest = "{\"nom\": \"Brest\", \"couple\": \"2\", \"isole\": \"1\", "
	                    "\"parent_isole\": \"0.5\", \"enfants\": [\"0.5\", \"0.5\", \"1\", "
	                    "\"0.5\"], \"handicap\": \"0.5\"}";
	assert_int_equal(caf_parts_set(f->db, &f->admin, brest, &errors), 0);
	char *text = caf_parts_get(f->db, &f->admin, &err);
	assert_non_null(strstr(text, "Brest"));
	free(text);
	assert_null(caf_parts_get(f->db, &f->admin_b, &err));
	assert_int_equal(caf_parts_set(f->db, &f->instr, "", &errors), CAS_EPERM);
	assert_int_equal(caf_parts_set(f->db, &f->admin, "", &errors), 0);
	assert_null(caf_parts_get(f->db, &f->admin, &err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(aid_fields_are_checked_and_audited, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_rules_are_never_stored, setup, teardown),
	    cmocka_unit_test_setup_teardown(versions_never_overlap, setup, teardown),
	    cmocka_unit_test_setup_teardown(version_by_deposit_date, setup, teardown),
	    cmocka_unit_test_setup_teardown(missing_data_then_declared_data, setup, teardown),
	    cmocka_unit_test_setup_teardown(decided_dossier_keeps_its_evaluation, setup, teardown),
	    cmocka_unit_test_setup_teardown(export_then_import_elsewhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(simulations, setup, teardown),
	    cmocka_unit_test_setup_teardown(caf_parts_table, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
