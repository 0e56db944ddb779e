/* The commission against a database (SQLite in memory, or PostgreSQL
 * through CASSIS_TEST_DB): sessions validated and audited, the agenda built
 * through the workflow, decisions in batch all or nothing (a missing motive,
 * four-eyes) with the refused dossier named, the anonymised agenda without
 * personal data, closing with stored minutes served identically, the
 * emergency aid reported once, roles and tenant isolation. */
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
#include "app/commission.h"
#include "app/commission_internal.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/fold.h"
#include "store/commission_store.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	int64_t ta, tb;
	struct actor admin, accueil, instr, val, auditeur, val_b, instr_b;
	struct actor val_same; /* a valideur who is the instructor (same account) */
	int64_t hid, hid_b, aid, aid_urgent, aid_b;
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

/* errors: read after the call that sets it (never pass its value: the
 * order of evaluation of arguments is unspecified). */
static void ok(int rc, json_t **errors, const char *what)
{
	if (rc != 0) {
		char *s = json_dumps(*errors, 0);
		print_error("%s: %d %s\n", what, rc, s ? s : "");
		free(s);
	}
	json_decref(*errors);
	*errors = NULL;
	assert_int_equal(rc, 0);
}

static int64_t make_person(struct fixture *f, const struct actor *who, const char *nom,
                           const char *prenom, const char *born)
{
	json_t *in = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom,
	    "prenom1", prenom, "sexe", "F", "date_naissance", born, "lieu_type", "commune",
	    "commune_naissance", "75056", "nationalite", "francaise", "telephone", "06 98 76 54 32",
	    "email", "famille.vasseur@exemple.fr", "adresse", "4 impasse des Mésanges",
	    "code_postal", "75012", "commune", "Paris");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(person_create(f->db, who, in, &id, &errors), &errors, "person");
	json_decref(in);
	return id;
}

static int64_t make_household(struct fixture *f, const struct actor *who)
{
	int64_t a = make_person(f, who, "Vasseur", "Bérénice", "1990-07-08");
	int64_t b = make_person(f, who, "Vasseur", "Éloïse", "2019-02-11");
	json_t *in =
	    json_pack("{s:I, s:s}", "demandeur_id", (json_int_t)a, "date_entree", "2025-01-01");
	int64_t id = 0, mid = 0;
	json_t *errors = NULL;
	ok(household_create(f->db, who, in, &id, &errors), &errors, "household");
	json_decref(in);
	in = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)b, "relation", "enfant",
	               "date_entree", "2025-01-01");
	ok(household_add_member(f->db, who, id, in, &mid, &errors), &errors, "member");
	json_decref(in);
	return id;
}

static int64_t make_aid(struct fixture *f, const struct actor *admin, const char *code)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", code, "label", code, "description", "");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(aid_type_create(f->db, admin, in, &id, &errors), &errors, "aid");
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
	actor(f, &f->val, f->ta, ROLE_VALIDEUR, "val@a.fr");
	actor(f, &f->auditeur, f->ta, ROLE_AUDITEUR, "audit@a.fr");
	actor(f, &f->val_b, f->tb, ROLE_VALIDEUR, "val@b.fr");
	actor(f, &f->instr_b, f->tb, ROLE_INSTRUCTEUR, "instr@b.fr");
	f->val_same = f->instr;
	f->val_same.role = ROLE_VALIDEUR;
	f->hid = make_household(f, &f->accueil);
	f->aid = make_aid(f, &f->admin, "energie");
	f->aid_urgent = make_aid(f, &f->admin, "secours_urgence");
	assert_int_equal(workflow_aid_urgence_set(f->db, &f->admin, f->aid_urgent, 1), 0);
	struct actor admin_b = f->admin;
	admin_b.tenant_id = f->tb;
	admin_b.user_id = 0;
	struct actor accueil_b = admin_b;
	accueil_b.role = ROLE_ACCUEIL;
	f->aid_b = make_aid(f, &admin_b, "energie");
	f->hid_b = make_household(f, &accueil_b);
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

static void move(struct fixture *f, const struct actor *who, int64_t id, const char *to,
                 json_t *fields)
{
	json_t *errors = NULL;
	ok(workflow_transition(f->db, who, id, to, fields, &errors), &errors, to);
	json_decref(fields);
}

/* A dossier of the household, instructed by f->instr with a proposal. */
static int64_t instructed(struct fixture *f, const struct actor *instr, int64_t hid, int64_t aid,
                          const char *proposition, const char *montant)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid,
	                       "aid_type_id", (json_int_t)aid, "motif",
	                       "Bérénice Vasseur, 4 impasse des Mésanges : facture d'électricité.",
	                       "montant_demande", "200");
	int64_t id = 0, line = 0;
	json_t *errors = NULL;
	ok(dossier_create(f->db, instr, in, &id, &errors), &errors, "dossier");
	json_decref(in);
	in = json_pack("{s:s, s:s}", "category", "salaire", "montant", "1200");
	ok(dossier_add_line(f->db, instr, id, in, &line, &errors), &errors, "line");
	json_decref(in);
	move(f, instr, id, "depose", NULL);
	move(f, instr, id, "en_instruction", NULL);
	move(f, instr, id, "instruit",
	     json_pack("{s:s, s:s, s:s}", "proposition", proposition, "montant", montant,
	               "appreciation", "Mme Vasseur élève seule Éloïse (née le 11/02/2019)."));
	return id;
}

static int64_t session(struct fixture *f, const struct actor *who)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s}", "date_seance", "20/03/2026", "heure", "9h", "lieu",
	              "Salle du conseil", "membres", "Claire Dubois, vice-présidente\nJean Moreau");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(commission_create(f->db, who, in, &id, &errors), &errors, "session");
	json_decref(in);
	return id;
}

static const char *state_of(struct fixture *f, int64_t id)
{
	static char out[32];
	json_t *row =
	    q_row(f->db, NULL, "SELECT state FROM dossiers WHERE id = ?", "i", (int64_t)id);
	snprintf(out, sizeof(out), "%s", json_string_value(json_object_get(row, "state")));
	json_decref(row);
	return out;
}

/* The item ids of the session's agenda, in order. */
static void items_of(struct fixture *f, int64_t cid, int64_t *out, size_t n)
{
	int err;
	json_t *c = commission_get(f->db, &f->val, cid, &err);
	assert_non_null(c);
	json_t *items = json_object_get(c, "items");
	assert_int_equal(json_array_size(items), n);
	for (size_t i = 0; i < n; i++)
		out[i] = json_integer_value(json_object_get(json_array_get(items, i), "id"));
	json_decref(c);
}

static json_t *decision(int64_t item, const char *dec, const char *montant, const char *motif)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "item_id", (json_int_t)item, "decision", dec,
	                 "montant", montant, "motif", motif);
}

static void sessions_are_validated(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id = 0;
	json_t *in = json_pack("{s:s, s:s, s:s}", "date_seance", "2026-02-30", "heure", "8:7",
	                       "lieu", "Salle\nB");
	assert_int_equal(commission_create(f->db, &f->val, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "date_seance"));
	assert_non_null(json_object_get(errors, "heure"));
	assert_non_null(json_object_get(errors, "lieu"));
	json_decref(errors);
	assert_int_equal(commission_create(f->db, &f->instr, in, &id, &errors), CAS_EPERM);
	assert_int_equal(commission_create(f->db, &f->auditeur, in, &id, &errors), CAS_EPERM);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM commissions"), 0);

	int64_t cid = session(f, &f->admin);
	int err;
	json_t *c = commission_get(f->db, &f->instr, cid, &err);
	assert_string_equal(json_string_value(json_object_get(c, "date_seance")), "2026-03-20");
	assert_string_equal(json_string_value(json_object_get(c, "heure")), "09:00");
	assert_string_equal(json_string_value(json_object_get(c, "date_long")),
	                    "vendredi 20 mars 2026");
	json_t *m = json_object_get(c, "membres");
	assert_int_equal(json_array_size(m), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "qualite")),
	                    "vice-présidente");
	assert_string_equal(json_string_value(json_object_get(c, "membres_text")),
	                    "Claire Dubois, vice-présidente\nJean Moreau");
	assert_false(json_is_true(json_object_get(c, "can_manage")));
	json_decref(c);
	in = json_pack("{s:s, s:s}", "date_seance", "2026-03-21", "lieu", "Mairie");
	ok(commission_update(f->db, &f->val, cid, in, &errors), &errors, "update");
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'commission'"),
	                 2);
	int64_t total = 0;
	json_t *rows = commission_list(f->db, &f->auditeur, 1, 0, 25, &total, &err);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "date_fr")),
	                    "21/03/2026");
	json_decref(rows);
	assert_null(commission_list(f->db, &f->accueil, 1, 0, 25, &total, &err));
	assert_int_equal(err, CAS_EPERM);
}

static void batch_is_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	int64_t d1 = instructed(f, &f->instr, f->hid, f->aid, "accord", "150");
	int64_t d2 = instructed(f, &f->instr, f->hid, f->aid, "refus", "");
	int64_t cid = session(f, &f->val);
	int64_t ids[] = {d1, d2};
	json_t *errors = NULL;
	assert_int_equal(commission_add_dossiers(f->db, &f->admin, cid, ids, 2, &errors),
	                 CAS_EPERM);
	ok(commission_add_dossiers(f->db, &f->val, cid, ids, 2, &errors), &errors, "add");
	assert_string_equal(state_of(f, d1), "en_commission");
	int64_t items[2];
	items_of(f, cid, items, 2);

	/* the refusal lacks its motive: nothing recorded, d2 named */
	json_t *batch = json_pack("[o, o]", decision(items[0], "accorde", "150", ""),
	                          decision(items[1], "refuse", "", ""));
	assert_int_equal(commission_decide_batch(f->db, &f->val, cid, batch, "Unanimité", &errors),
	                 CAS_EINVAL);
	const char *lot = json_string_value(json_object_get(errors, "lot"));
	assert_non_null(lot);
	assert_non_null(strstr(lot, "2026-00002"));
	char key[48];
	snprintf(key, sizeof(key), "motif_%lld", (long long)items[1]);
	assert_non_null(json_object_get(errors, key));
	json_decref(errors);
	assert_string_equal(state_of(f, d1), "en_commission");
	assert_int_equal(count(f->db, "SELECT count(*) FROM commission_items WHERE decision IS "
	                              "NOT NULL"),
	                 0);

	/* four-eyes: the instructor cannot decide, even in a batch */
	json_decref(batch);
	batch = json_pack("[o]", decision(items[0], "accorde", "150", ""));
	assert_int_equal(commission_decide_batch(f->db, &f->val_same, cid, batch, "", &errors),
	                 CAS_EINVAL);
	assert_non_null(strstr(json_string_value(json_object_get(errors, "lot")), "quatre yeux"));
	assert_non_null(strstr(json_string_value(json_object_get(errors, "lot")), "2026-00001"));
	json_decref(errors);
	assert_int_equal(commission_decide_batch(f->db, &f->admin, cid, batch, "", &errors),
	                 CAS_EPERM);
	json_decref(batch);

	batch = json_pack("[o, o]", decision(items[0], "accorde", "150", ""),
	                  decision(items[1], "refuse", "", "Plafond de ressources dépassé"));
	ok(commission_decide_batch(f->db, &f->val, cid, batch, "Unanimité", &errors), &errors,
	   "batch");
	json_decref(batch);
	assert_string_equal(state_of(f, d1), "decide");
	assert_string_equal(state_of(f, d2), "decide");
	int err;
	json_t *c = commission_get(f->db, &f->val, cid, &err);
	assert_string_equal(json_string_value(json_object_get(c, "state")), "tenue");
	json_t *it = json_array_get(json_object_get(c, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "montant")), 15000);
	assert_string_equal(json_string_value(json_object_get(it, "vote")), "Unanimité");
	json_decref(c);
}

static void assert_no_personal_data(const char *text)
{
	static const char *const secrets[] = {"Vasseur",        "Bérénice",
	                                      "Éloïse",         "Mésanges",
	                                      "1990-07-08",     "08/07/1990",
	                                      "2019-02-11",     "11/02/2019",
	                                      "06 98 76 54 32", "famille.vasseur@exemple.fr"};
	size_t n = strlen(text) + 1;
	char *folded = malloc(n), s[128];
	fold_text(text, folded, n);
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		fold_text(secrets[i], s, sizeof(s));
		if (strstr(folded, s) || strstr(text, secrets[i]))
			fail_msg("\"%s\" found in the anonymised agenda", secrets[i]);
	}
	free(folded);
}

static void anonymised_agenda(void **state)
{
	struct fixture *f = *state;
	int64_t d1 = instructed(f, &f->instr, f->hid, f->aid, "accord", "150");
	int64_t cid = session(f, &f->val);
	json_t *errors = NULL;
	ok(commission_add_dossiers(f->db, &f->val, cid, &d1, 1, &errors), &errors, "add");
	/* on one open agenda at most: refused by the use case, and by the schema */
	int64_t cid2 = session(f, &f->val), item = 0;
	assert_int_equal(commission_add_dossiers(f->db, &f->val, cid2, &d1, 1, &errors),
	                 CAS_EINVAL);
	assert_non_null(strstr(json_string_value(json_object_get(errors, "dossiers")),
	                       "déjà à l'ordre du jour de la commission du 20/03/2026"));
	json_decref(errors);
	assert_int_equal(commission_store_item_insert(f->db, f->ta, cid2, d1, 0, 0, &item),
	                 CAS_ECONFLICT);
	int err;
	json_t *a = commission_anonymous(f->db, &f->auditeur, cid, &err);
	assert_non_null(a);
	char *dump = json_dumps(a, JSON_INDENT(1));
	assert_no_personal_data(dump);
	assert_non_null(strstr(dump, "\"1 adulte et 1 enfant\""));
	assert_non_null(strstr(dump, "\"6 à 10 ans\""));
	assert_non_null(strstr(dump, "facture d'électricité"));
	free(dump);
	json_decref(a);
	assert_null(commission_anonymous(f->db, &f->accueil, cid, &err));
	assert_int_equal(err, CAS_EPERM);
	unsigned char *pdf = NULL;
	size_t n = 0;
	assert_int_equal(commission_minutes(f->db, &f->val, cid, &pdf, &n), CAS_ECONFLICT);
}

static void closing_and_minutes(void **state)
{
	struct fixture *f = *state;
	int64_t d1 = instructed(f, &f->instr, f->hid, f->aid, "accord", "150");
	int64_t d2 = instructed(f, &f->instr, f->hid, f->aid, "ajournement", "");
	int64_t u = instructed(f, &f->instr, f->hid, f->aid_urgent, "accord", "80");
	move(f, &f->val, u, "decide",
	     json_pack("{s:s, s:s}", "decision", "accorde", "montant", "80"));
	int64_t cid = session(f, &f->val);
	int64_t ids[] = {d1, d2, u};
	json_t *errors = NULL;
	ok(commission_add_dossiers(f->db, &f->val, cid, ids, 3, &errors), &errors, "add");
	int64_t items[3];
	items_of(f, cid, items, 3);
	json_t *in = json_pack("{s:s, s:s}", "decision", "accorde", "montant", "150");
	ok(commission_decide(f->db, &f->val, cid, items[0], in, &errors), &errors, "decide");
	/* the reported emergency aid takes no decision here */
	assert_int_equal(commission_decide(f->db, &f->val, cid, items[2], in, &errors), CAS_EINVAL);
	json_decref(errors);
	json_decref(in);

	assert_int_equal(commission_close(f->db, &f->val, cid, &errors), CAS_EINVAL);
	assert_non_null(
	    strstr(json_string_value(json_object_get(errors, "cloture")), "2026-00002"));
	json_decref(errors);
	ok(commission_remove_item(f->db, &f->val, cid, items[1], &errors), &errors, "remove");
	assert_string_equal(state_of(f, d2), "instruit");
	assert_int_equal(commission_close(f->db, &f->instr, cid, &errors), CAS_EPERM);
	ok(commission_close(f->db, &f->val, cid, &errors), &errors, "close");

	unsigned char *pdf = NULL, *again = NULL;
	size_t n = 0, m = 0;
	assert_int_equal(commission_minutes(f->db, &f->auditeur, cid, &pdf, &n), 0);
	assert_true(n > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_int_equal(commission_minutes(f->db, &f->instr, cid, &again, &m), 0);
	assert_int_equal(n, m);
	assert_memory_equal(pdf, again, n);
	free(again);
	/* generated again from the stored data, the minutes are the same bytes */
	int rc;
	json_t *row = commission_store_get(f->db, f->ta, cid, &rc);
	json_t *anon = cm_anonymous_items(f->db, f->ta, row, &rc);
	assert_non_null(anon);
	assert_int_equal(cm_minutes_render(f->db, f->ta, row, anon,
	                                   json_integer_value(json_object_get(row, "closed_at")),
	                                   &again, &m),
	                 0);
	assert_int_equal(n, m);
	assert_memory_equal(pdf, again, n);
	json_decref(anon);
	json_decref(row);
	free(pdf);
	free(again);
	assert_int_equal(count(f->db, "SELECT pdf_size FROM commission_minutes"), (int64_t)n);
	assert_int_equal(count(f->db, "SELECT a_rapporter FROM dossiers WHERE numero = "
	                              "'2026-00003'"),
	                 0);
	/* closed: nothing changes */
	in = json_pack("{s:s, s:s}", "date_seance", "2026-03-21", "lieu", "Mairie");
	assert_int_equal(commission_update(f->db, &f->val, cid, in, &errors), CAS_ECONFLICT);
	json_decref(in);
	assert_int_equal(commission_add_dossiers(f->db, &f->val, cid, &d2, 1, &errors),
	                 CAS_ECONFLICT);
	assert_int_equal(commission_close(f->db, &f->val, cid, &errors), CAS_ECONFLICT);
	/* a new session no longer offers the reported aid */
	int err;
	json_t *cand = commission_candidates(f->db, &f->val, &err);
	assert_int_equal(json_array_size(cand), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(cand, 0), "id")), d2);
	json_decref(cand);
}

static void tenants_are_isolated(void **state)
{
	struct fixture *f = *state;
	int64_t d1 = instructed(f, &f->instr, f->hid, f->aid, "accord", "150");
	int64_t cid = session(f, &f->val);
	int64_t cid_b = session(f, &f->val_b);
	int err;
	json_t *errors = NULL;
	assert_null(commission_get(f->db, &f->val_b, cid, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_null(commission_anonymous(f->db, &f->val_b, cid, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_int_equal(commission_add_dossiers(f->db, &f->val_b, cid_b, &d1, 1, &errors),
	                 CAS_ENOTFOUND);
	assert_int_equal(commission_add_dossiers(f->db, &f->val_b, cid, &d1, 1, &errors),
	                 CAS_ENOTFOUND);
	assert_string_equal(state_of(f, d1), "instruit");
	json_t *in = json_pack("{s:s, s:s}", "date_seance", "2026-03-21", "lieu", "Mairie");
	assert_int_equal(commission_update(f->db, &f->val_b, cid, in, &errors), CAS_ENOTFOUND);
	json_decref(in);
	assert_int_equal(commission_close(f->db, &f->val_b, cid, &errors), CAS_ENOTFOUND);
	unsigned char *pdf = NULL;
	size_t n = 0;
	assert_int_equal(commission_minutes(f->db, &f->val_b, cid, &pdf, &n), CAS_ENOTFOUND);
	json_t *cand = commission_candidates(f->db, &f->val_b, &err);
	assert_int_equal(json_array_size(cand), 0);
	json_decref(cand);
	int64_t total = 0;
	json_t *rows = commission_list(f->db, &f->val_b, 1, 0, 25, &total, &err);
	assert_int_equal(total, 1);
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(sessions_are_validated, setup, teardown),
	    cmocka_unit_test_setup_teardown(batch_is_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(anonymised_agenda, setup, teardown),
	    cmocka_unit_test_setup_teardown(closing_and_minutes, setup, teardown),
	    cmocka_unit_test_setup_teardown(tenants_are_isolated, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
