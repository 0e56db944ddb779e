/* The instruction workflow against a database (SQLite in memory, or
 * PostgreSQL through CASSIS_TEST_DB): the whole path, the fields each
 * transition requires, roles, four-eyes, the emergency short path,
 * deadlines and "mes dossiers", tenant isolation, the settings. */
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
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/workflow_store.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	int64_t ta, tb;
	struct actor admin, accueil, instr, instr2, val, val2, auditeur, instr_b;
	int64_t hid, aid, aid_urgent;
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

/* A user row (foreign keys of agent_id, instructed_by...) and its actor. */
static void actor(struct fixture *f, struct actor *who, int64_t tenant, enum role role,
                  const char *email)
{
	int64_t uid = 0;
	assert_int_equal(q_int(f->db, &uid,
	                       "INSERT INTO users (tenant_id, email, display_name, role, "
	                       "password_hash, created_at) VALUES (?, ?, ?, ?, 'x', 0) "
	                       "RETURNING id",
	                       "ittt", tenant, email, email, role_code(role)),
	                 1);
	memset(who, 0, sizeof(*who));
	who->user_id = uid;
	who->tenant_id = tenant;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", email);
}

static int64_t make_person(struct fixture *f, const char *prenom)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "Martin", "prenom1",
	              prenom, "sexe", "F", "date_naissance", "1980-05-04", "lieu_type", "commune",
	              "commune_naissance", "75056", "nationalite", "francaise");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(person_create(f->db, &f->accueil, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int64_t make_household(struct fixture *f)
{
	int64_t pid = make_person(f, "Léa");
	json_t *in = json_pack("{s:I}", "demandeur_id", (json_int_t)pid);
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = household_create(f->db, &f->accueil, in, &id, &errors);
	if (rc != 0) {
		char *s = json_dumps(errors, 0);
		print_error("household_create: %d %s\n", rc, s ? s : "");
		free(s);
	}
	assert_int_equal(rc, 0);
	json_decref(in);
	return id;
}

static int64_t make_aid(struct fixture *f, const char *code)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", code, "label", code, "description", "");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 2, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	f->ta = make_tenant(f->db, "21750001600019");
	f->tb = make_tenant(f->db, "21690123100011");
	actor(f, &f->admin, f->ta, ROLE_ADMINISTRATEUR, "admin@a.fr");
	actor(f, &f->accueil, f->ta, ROLE_ACCUEIL, "accueil@a.fr");
	actor(f, &f->instr, f->ta, ROLE_INSTRUCTEUR, "instr@a.fr");
	actor(f, &f->instr2, f->ta, ROLE_INSTRUCTEUR, "instr2@a.fr");
	actor(f, &f->val, f->ta, ROLE_VALIDEUR, "val@a.fr");
	actor(f, &f->val2, f->ta, ROLE_VALIDEUR, "val2@a.fr");
	actor(f, &f->auditeur, f->ta, ROLE_AUDITEUR, "audit@a.fr");
	actor(f, &f->instr_b, f->tb, ROLE_INSTRUCTEUR, "instr@b.fr");
	f->hid = make_household(f);
	f->aid = make_aid(f, "energie");
	f->aid_urgent = make_aid(f, "secours_urgence");
	assert_int_equal(workflow_aid_urgence_set(f->db, &f->admin, f->aid_urgent, 1), 0);
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

static int64_t open_dossier(struct fixture *f, int64_t aid)
{
	json_t *in =
	    json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)f->hid, "aid_type_id",
	              (json_int_t)aid, "motif", "Facture impayée", "montant_demande", "200");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(dossier_create(f->db, &f->accueil, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

/* A transition with fields given as key, value pairs (NULL-terminated). */
static int move(struct fixture *f, const struct actor *who, int64_t id, const char *to,
                json_t **errors, ...)
{
	va_list ap;
	json_t *fields = json_object();
	va_start(ap, errors);
	for (const char *k; (k = va_arg(ap, const char *));)
		json_object_set_new(fields, k, json_string(va_arg(ap, const char *)));
	va_end(ap);
	json_t *errs = NULL;
	int rc = workflow_transition(f->db, who, id, to, fields, &errs);
	json_decref(fields);
	if (errors)
		*errors = errs;
	else
		json_decref(errs);
	return rc;
}

static void expect_move(struct fixture *f, const struct actor *who, int64_t id, const char *to,
                        int expect)
{
	json_t *errors = NULL;
	int rc = move(f, who, id, to, &errors, NULL);
	if (rc != expect) {
		char *s = json_dumps(errors, 0);
		print_error("%s -> %s: %d (expected %d) %s\n", who->label, to, rc, expect,
		            s ? s : "");
		free(s);
	}
	assert_int_equal(rc, expect);
	json_decref(errors);
}

static json_t *row(struct fixture *f, int64_t id)
{
	int err;
	json_t *d = dossier_get(f->db, &f->val, id, &err);
	assert_non_null(d);
	return d;
}

static const char *str(json_t *d, const char *key)
{
	const char *s = json_string_value(json_object_get(d, key));
	return s ? s : "";
}

static int64_t num(json_t *d, const char *key)
{
	return json_integer_value(json_object_get(d, key));
}

static void expect_state(struct fixture *f, int64_t id, const char *state)
{
	json_t *d = row(f, id);
	assert_string_equal(str(d, "state"), state);
	json_decref(d);
}

static void expect_errors(json_t *errors, const char *const *fields)
{
	assert_non_null(errors);
	for (; *fields; fields++)
		if (!json_object_get(errors, *fields))
			fail_msg("no error on %s", *fields);
	json_decref(errors);
}

static int64_t count(struct db *db, const char *sql, int64_t id)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, "i", id), 1);
	return n;
}

/* Deposit, take up, pièces, proposal: up to instruit, proposed by who. */
static int64_t instructed(struct fixture *f, int64_t aid, const struct actor *proposer)
{
	int64_t id = open_dossier(f, aid);
	expect_move(f, &f->accueil, id, "depose", 0);
	expect_move(f, &f->instr, id, "en_instruction", 0);
	assert_int_equal(move(f, proposer, id, "instruit", NULL, "proposition", "accord", "montant",
	                      "150", "appreciation", "Situation fragile.", NULL),
	                 0);
	return id;
}

static void whole_path(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id = open_dossier(f, f->aid);

	expect_move(f, &f->val, id, "depose", CAS_EPERM); /* not the valideur's job */
	expect_move(f, &f->accueil, id, "depose", 0);
	json_t *d = row(f, id);
	assert_string_equal(str(d, "depose_le"), "2026-03-02");
	json_decref(d);
	expect_move(f, &f->accueil, id, "en_instruction", CAS_EPERM);
	expect_move(f, &f->instr, id, "en_instruction", 0);
	d = row(f, id);
	assert_int_equal(num(d, "agent_id"), f->instr.user_id);
	json_decref(d);

	/* pièces: the motif says which */
	assert_int_equal(move(f, &f->instr, id, "en_attente_pieces", &errors, NULL), CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"motif", NULL});
	assert_int_equal(move(f, &f->instr, id, "en_attente_pieces", NULL, "motif",
	                      "Avis d'imposition 2025.", NULL),
	                 0);
	expect_move(f, &f->instr, id, "en_instruction", 0);

	/* the proposal */
	assert_int_equal(move(f, &f->instr, id, "instruit", &errors, NULL), CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"proposition", "appreciation", NULL});
	assert_int_equal(move(f, &f->instr, id, "instruit", &errors, "proposition", "accord",
	                      "appreciation", "Dette d'énergie ponctuelle.", NULL),
	                 CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"montant", NULL});
	assert_int_equal(move(f, &f->instr, id, "instruit", &errors, "proposition", "accord",
	                      "montant", "150,50", "appreciation", "Dette d'énergie ponctuelle.",
	                      "evaluation_id", "999", NULL),
	                 CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"evaluation_id", NULL});
	expect_state(f, id, "en_instruction"); /* nothing written */
	assert_int_equal(move(f, &f->instr, id, "instruit", NULL, "proposition", "accord",
	                      "montant", "150,50", "appreciation", "Dette d'énergie ponctuelle.",
	                      NULL),
	                 0);
	d = row(f, id);
	assert_string_equal(str(d, "proposition"), "accord");
	assert_int_equal(num(d, "montant_propose"), 15050);
	assert_int_equal(num(d, "instructed_by"), f->instr.user_id);
	json_decref(d);

	/* no emergency path for this aid: the commission */
	assert_int_equal(
	    move(f, &f->val, id, "decide", &errors, "decision", "accorde", "montant", "150", NULL),
	    CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"to", NULL});
	expect_move(f, &f->instr, id, "en_commission", 0);
	expect_move(f, &f->instr, id, "decide", CAS_EPERM);
	assert_int_equal(move(f, &f->val, id, "decide", &errors, "decision", "refuse", NULL),
	                 CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"motif", NULL});
	assert_int_equal(move(f, &f->val, id, "decide", &errors, "decision", "accorde", NULL),
	                 CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"montant", NULL});
	assert_int_equal(move(f, &f->val, id, "decide", NULL, "decision", "accorde", "montant",
	                      "140", "commission_id", "3", NULL),
	                 0);
	d = row(f, id);
	assert_string_equal(str(d, "decision"), "accorde");
	assert_int_equal(num(d, "montant_accorde"), 14000);
	assert_int_equal(num(d, "decided_by"), f->val.user_id);
	assert_int_equal(num(d, "a_rapporter"), 0);
	json_decref(d);

	expect_move(f, &f->instr, id, "cloture", CAS_EINVAL); /* notify first */
	expect_move(f, &f->accueil, id, "notifie", CAS_EPERM);
	expect_move(f, &f->instr, id, "notifie", 0);
	expect_move(f, &f->instr, id, "cloture", CAS_EINVAL); /* granted: pay first */
	expect_move(f, &f->auditeur, id, "paiement", CAS_EPERM);
	expect_move(f, &f->instr, id, "paiement", 0);
	expect_move(f, &f->instr, id, "cloture", 0);
	expect_move(f, &f->instr, id, "en_instruction", CAS_EINVAL);

	/* the timeline tells each step, the audit log has each change */
	assert_int_equal(
	    count(f->db,
	          "SELECT count(*) FROM dossier_events WHERE dossier_id = ? AND kind IN "
	          "('depot', 'instruction', 'pieces', 'reprise', 'proposition', "
	          "'commission', 'decision', 'notification', 'paiement', 'cloture')",
	          id),
	    10);
	assert_int_equal(
	    count(f->db,
	          "SELECT count(*) FROM dossier_events WHERE dossier_id = ? AND detail "
	          "LIKE '%Appréciation : Dette d''énergie ponctuelle.%'",
	          id),
	    1);
	assert_int_equal(count(f->db,
	                       "SELECT count(*) FROM audit_log WHERE object_type = 'dossier' AND "
	                       "object_id = ? AND action = 'changement_etat'",
	                       id),
	                 10);
}

static void refusal_ajournement_and_sans_suite(void **state)
{
	struct fixture *f = *state;
	/* refusal: notified, then closed without payment */
	int64_t id = instructed(f, f->aid, &f->instr);
	expect_move(f, &f->val, id, "en_commission", 0);
	assert_int_equal(move(f, &f->val, id, "decide", NULL, "decision", "refuse", "motif",
	                      "Ressources supérieures au plafond.", NULL),
	                 0);
	expect_move(f, &f->val, id, "notifie", 0);
	expect_move(f, &f->instr, id, "paiement", CAS_EINVAL);
	expect_move(f, &f->instr, id, "en_instruction", CAS_EINVAL);
	expect_move(f, &f->instr, id, "cloture", 0);

	/* ajournement: back in instruction after the notification, proposal cleared */
	id = instructed(f, f->aid, &f->instr);
	expect_move(f, &f->instr, id, "en_commission", 0);
	assert_int_equal(move(f, &f->val, id, "decide", NULL, "decision", "ajourne", "motif",
	                      "Attendre la décision du FSL.", NULL),
	                 0);
	expect_move(f, &f->instr, id, "notifie", 0);
	expect_move(f, &f->instr, id, "en_instruction", 0);
	json_t *d = row(f, id);
	assert_true(json_is_null(json_object_get(d, "proposition")));
	assert_true(json_is_null(json_object_get(d, "decision")));
	json_decref(d);

	/* withdrawn from the agenda, then the instruction resumed with a motif */
	id = instructed(f, f->aid, &f->instr);
	expect_move(f, &f->instr, id, "en_commission", 0);
	expect_move(f, &f->instr, id, "instruit", 0);
	expect_move(f, &f->instr, id, "en_instruction", CAS_EINVAL);
	assert_int_equal(move(f, &f->instr, id, "en_instruction", NULL, "motif",
	                      "Nouvelle facture reçue.", NULL),
	                 0);

	/* classement sans suite before any decision: the decision says so */
	assert_int_equal(
	    move(f, &f->instr, id, "cloture", NULL, "motif", "Le demandeur a déménagé.", NULL), 0);
	d = row(f, id);
	assert_string_equal(str(d, "decision"), "sans_suite");
	assert_string_equal(str(d, "motif_decision"), "Le demandeur a déménagé.");
	json_decref(d);
}

static void four_eyes(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	/* a valideur who made the proposal does not decide */
	int64_t id = instructed(f, f->aid, &f->val);
	expect_move(f, &f->val, id, "en_commission", 0);
	assert_int_equal(
	    move(f, &f->val, id, "decide", &errors, "decision", "accorde", "montant", "150", NULL),
	    CAS_EINVAL);
	assert_non_null(strstr(json_string_value(json_object_get(errors, "to")), "quatre yeux"));
	json_decref(errors);
	expect_state(f, id, "en_commission");
	/* the page offers the decision with the refusal instead of a form */
	json_t *d = row(f, id);
	json_t *a = json_array_get(json_object_get(d, "actions"), 1);
	assert_string_equal(str(a, "to"), "decide");
	assert_non_null(strstr(str(a, "refusal"), "quatre yeux"));
	json_decref(d);
	/* another valideur does */
	assert_int_equal(
	    move(f, &f->val2, id, "decide", NULL, "decision", "accorde", "montant", "150", NULL),
	    0);

	/* off for the CCAS: the same person may decide */
	json_t *in = json_pack("{s:s, s:s}", "quatre_yeux", "0", "delai_pieces", "20");
	assert_int_equal(workflow_settings_update(f->db, &f->instr, in, &errors), CAS_EPERM);
	assert_int_equal(workflow_settings_update(f->db, &f->admin, in, &errors), 0);
	json_decref(in);
	int err;
	json_t *s = workflow_settings_get(f->db, &f->val, &err);
	assert_false(json_is_true(json_object_get(s, "quatre_yeux")));
	assert_int_equal(num(s, "delai_pieces"), 20);
	assert_int_equal(num(s, "delai_instruction"), 30); /* absent: kept */
	json_decref(s);
	id = instructed(f, f->aid, &f->val);
	expect_move(f, &f->val, id, "en_commission", 0);
	assert_int_equal(
	    move(f, &f->val, id, "decide", NULL, "decision", "accorde", "montant", "150", NULL), 0);
	assert_int_equal(count(f->db,
	                       "SELECT count(*) FROM audit_log WHERE action = "
	                       "'parametres_instruction' AND object_id = ?",
	                       f->ta),
	                 1);
}

static void emergency_path(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id = instructed(f, f->aid_urgent, &f->instr);
	/* waits on the valideurs at once */
	int err;
	json_t *mine = workflow_my_dossiers(f->db, &f->val, &err);
	assert_int_equal(json_array_size(mine), 1);
	assert_string_equal(str(json_array_get(mine, 0), "waiting"),
	                    "Décision d'urgence à prendre");
	json_decref(mine);
	expect_move(f, &f->instr, id, "decide", CAS_EPERM);
	assert_int_equal(move(f, &f->val, id, "decide", &errors, "decision", "accorde", NULL),
	                 CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"montant", NULL});
	assert_int_equal(
	    move(f, &f->val, id, "decide", NULL, "decision", "accorde", "montant", "80", NULL), 0);
	json_t *d = row(f, id);
	assert_int_equal(num(d, "a_rapporter"), 1);
	assert_int_equal(num(d, "montant_accorde"), 8000);
	json_decref(d);
	/* through the commission, the same aid is not to report */
	id = instructed(f, f->aid_urgent, &f->instr);
	expect_move(f, &f->instr, id, "en_commission", 0);
	assert_int_equal(
	    move(f, &f->val, id, "decide", NULL, "decision", "accorde", "montant", "80", NULL), 0);
	d = row(f, id);
	assert_int_equal(num(d, "a_rapporter"), 0);
	json_decref(d);
	/* the flag: administrators only, audited */
	assert_int_equal(workflow_aid_urgence_set(f->db, &f->val, f->aid, 1), CAS_EPERM);
	struct actor admin_b = f->admin;
	admin_b.tenant_id = f->tb;
	assert_int_equal(workflow_aid_urgence_set(f->db, &admin_b, f->aid, 1), CAS_ENOTFOUND);
	int on = 1;
	assert_int_equal(workflow_aid_urgence(f->db, &f->val, f->aid, &on), 0);
	assert_false(on);
}

static void deadlines_and_my_dossiers(void **state)
{
	struct fixture *f = *state;
	int err;
	int64_t a = open_dossier(f, f->aid), b = open_dossier(f, f->aid);
	expect_move(f, &f->accueil, a, "depose", 0);
	expect_move(f, &f->accueil, b, "depose", 0);
	expect_move(f, &f->instr2, b, "en_instruction", 0);
	/* the deposited dossier waits on every instructor; b on its agent only */
	json_t *mine = workflow_my_dossiers(f->db, &f->instr, &err);
	assert_int_equal(json_array_size(mine), 1);
	assert_int_equal(num(json_array_get(mine, 0), "id"), a);
	assert_string_equal(str(json_array_get(mine, 0), "waiting"), "À prendre en charge");
	assert_false(json_is_true(json_object_get(json_array_get(mine, 0), "overdue")));
	assert_string_equal(str(json_array_get(mine, 0), "due"), "2026-04-01");
	json_decref(mine);
	mine = workflow_my_dossiers(f->db, &f->instr2, &err);
	assert_int_equal(json_array_size(mine), 2);
	json_decref(mine);
	mine = workflow_my_dossiers(f->db, &f->auditeur, &err);
	assert_int_equal(json_array_size(mine), 0);
	json_decref(mine);

	/* 31 days later b is late; 40 days: both, b the latest, first */
	clock_set_override(clock_make(2026, 4, 2, 10, 0, 0));
	expect_move(f, &f->instr, a, "en_instruction", 0);
	mine = workflow_my_dossiers(f->db, &f->instr2, &err);
	assert_int_equal(json_array_size(mine), 1);
	assert_true(json_is_true(json_object_get(json_array_get(mine, 0), "overdue")));
	assert_int_equal(num(json_array_get(mine, 0), "late_days"), 1);
	json_decref(mine);
	struct dossier_query q = {.etat = "en_instruction", .limit = 10};
	json_t *errors = NULL;
	json_t *rows = dossier_list(f->db, &f->val, &q, NULL, &err, &errors);
	assert_int_equal(json_array_size(rows), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *r = json_array_get(rows, i);
		assert_int_equal(json_is_true(json_object_get(r, "overdue")), num(r, "id") == b);
	}
	json_decref(rows);
	/* a delay of 0: no deadline */
	json_t *in = json_pack("{s:s}", "delai_instruction", "0");
	assert_int_equal(workflow_settings_update(f->db, &f->admin, in, &errors), 0);
	json_decref(in);
	mine = workflow_my_dossiers(f->db, &f->instr2, &err);
	assert_false(json_is_true(json_object_get(json_array_get(mine, 0), "overdue")));
	assert_null(json_object_get(json_array_get(mine, 0), "due"));
	json_decref(mine);
	in = json_pack("{s:s, s:s}", "delai_instruction", "366", "delai_pieces", "dix");
	assert_int_equal(workflow_settings_update(f->db, &f->admin, in, &errors), CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"delai_instruction", "delai_pieces", NULL});
	errors = workflow_settings_errors(in);
	expect_errors(errors, (const char *const[]){"delai_instruction", "delai_pieces", NULL});
	json_decref(in);
}

static void decisions_wait_on_valideurs(void **state)
{
	struct fixture *f = *state;
	int err;
	int64_t x = instructed(f, f->aid, &f->val);
	int64_t y = instructed(f, f->aid, &f->instr);
	expect_move(f, &f->instr, x, "en_commission", 0);
	expect_move(f, &f->instr, y, "en_commission", 0);
	/* four-eyes: x is not val's to decide */
	json_t *mine = workflow_my_dossiers(f->db, &f->val, &err);
	assert_int_equal(json_array_size(mine), 1);
	assert_int_equal(num(json_array_get(mine, 0), "id"), y);
	json_decref(mine);
	mine = workflow_my_dossiers(f->db, &f->val2, &err);
	assert_int_equal(json_array_size(mine), 2);
	json_decref(mine);
}

static void isolation_and_conflicts(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id = open_dossier(f, f->aid);
	expect_move(f, &f->instr_b, id, "depose", CAS_ENOTFOUND);
	assert_int_equal(move(f, &f->instr, id, "perdu", &errors, NULL), CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"to", NULL});
	assert_int_equal(move(f, &f->instr, id, NULL, &errors, NULL), CAS_EINVAL);
	expect_errors(errors, (const char *const[]){"to", NULL});
	int err;
	json_t *mine = workflow_my_dossiers(f->db, &f->instr_b, &err);
	assert_int_equal(json_array_size(mine), 0);
	json_decref(mine);
	/* a change made meanwhile by another agent: the conditional update refuses */
	struct wf_row r = {.state = "depose", .montant_propose = -1, .montant_accorde = -1};
	assert_int_equal(wf_store_apply(f->db, f->ta, id, "en_instruction", &r, 1), CAS_ECONFLICT);
	assert_int_equal(wf_store_apply(f->db, f->tb, id, "brouillon", &r, 1), CAS_ECONFLICT);
	expect_state(f, id, "brouillon");
	/* inside the caller's transaction */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(workflow_transition_in(f->db, &f->accueil, id, "depose", NULL, &errors),
	                 0);
	db_rollback(f->db);
	expect_state(f, id, "brouillon");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(whole_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(refusal_ajournement_and_sans_suite, setup, teardown),
	    cmocka_unit_test_setup_teardown(four_eyes, setup, teardown),
	    cmocka_unit_test_setup_teardown(emergency_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(deadlines_and_my_dossiers, setup, teardown),
	    cmocka_unit_test_setup_teardown(decisions_wait_on_valideurs, setup, teardown),
	    cmocka_unit_test_setup_teardown(isolation_and_conflicts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
