/* Retention and purge on the store suite's backend (testdb.h): what a
 * purge removes and keeps, table by table, two years later; the anonymous
 * statistics; the legal hold; the audit chain; dry runs; a run stopped
 * between batches and resumed; the State API answers' shorter clock; the
 * traces' 36 months; records no dossier holds; tenant isolation; the
 * settings, the holds and the preview. */
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
#include "app/audit_verify.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/purge.h"
#include "app/retention.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

/* Words that only the personal data of the purged dossiers contain. */
static const char *const secrets[] = {
    "Lefèvre",
    "Zéphyrine",
    "Noé",
    "2 84 05 75 056 123 45",
    "FR7630006000011234567890189",
    "Dupuis-Bailleur",
    "impayé après un arrêt maladie",
    "12 rue des Tilleuls",
    "0601020304",
    "Note confidentielle",
    "Oubliée",
    "Dormant-Tiers",
};

struct fixture {
	struct db *db;
	struct actor sys, admin, valideur, instr, accueil, admin_b, accueil_b;
	int64_t ta, tb, aid, aid_b, version;
	int64_t p_lef, p_noe, p_mar, p_dur, p_old, p_new, p_b;
	int64_t h_lef, h_mar, h_dur, h_b;
	int64_t d_granted, d_recent, d_held, d_b;
	int64_t edf, dupuis;
};

static void actor(struct actor *who, int64_t tenant, enum role role, const char *label,
                  int64_t user_id)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->role = role;
	who->user_id = user_id;
	snprintf(who->label, sizeof(who->label), "%s", label);
}

static void ok(int rc, json_t *errors, const char *what)
{
	if (rc != 0) {
		char *s = errors ? json_dumps(errors, 0) : NULL;
		fail_msg("%s: %d %s", what, rc, s ? s : "");
	}
	json_decref(errors);
}

static int64_t count(struct db *db, const char *sql, int64_t id)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, id ? "i" : "", id), 1);
	return n;
}

static int64_t make_tenant(struct fixture *f, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(tenant_create(f->db, &f->sys, in, &id, &errors), errors, "tenant");
	json_decref(in);
	return id;
}

static int64_t person(struct fixture *f, const struct actor *who, const char *nom,
                      const char *prenom, int secret_address)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom,
	              "prenom1", prenom, "sexe", "F", "date_naissance", "1984-03-12", "lieu_type",
	              "commune", "commune_naissance", "75056", "nationalite", "francaise",
	              "adresse", secret_address ? "12 rue des Tilleuls" : "3 place du Marché",
	              "telephone", secret_address ? "0601020304" : "0102030405");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(person_create(f->db, who, in, &id, &errors), errors, "person");
	json_decref(in);
	return id;
}

static int64_t household(struct fixture *f, const struct actor *who, int64_t demandeur)
{
	json_t *in = json_pack("{s:I, s:s}", "demandeur_id", (json_int_t)demandeur, "date_entree",
	                       "2023-01-01");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(household_create(f->db, who, in, &id, &errors), errors, "household");
	json_decref(in);
	return id;
}

static void member(struct fixture *f, int64_t h, int64_t p, const char *relation)
{
	json_t *in = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)p, "relation", relation,
	                       "date_entree", "2023-01-01");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(household_add_member(f->db, &f->accueil, h, in, &id, &errors), errors, "member");
	json_decref(in);
}

static int64_t dossier(struct fixture *f, const struct actor *who, int64_t h, int64_t aid,
                       const char *motif)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)h, "aid_type_id",
	                       (json_int_t)aid, "motif", motif, "montant_demande", "300");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(dossier_create(f->db, who, in, &id, &errors), errors, "dossier");
	json_decref(in);
	return id;
}

/* Closed on y-m-d (10:00 UTC) with that decision and amount. */
static void close_dossier(struct db *db, int64_t d, const char *decision, int64_t cents, int y,
                          int m, int day)
{
	int64_t at = clock_make(y, m, day, 10, 0, 0);
	assert_int_equal(q_exec(db,
	                        "UPDATE dossiers SET state = 'cloture', decision = ?, "
	                        "montant_accorde = nullif(CAST(? AS BIGINT), 0), decided_at = ?, "
	                        "state_since = ? WHERE id = ?",
	                        "tiiii", decision, cents, at - 86400 * 20, at, d),
	                 0);
}

#define IBAN_SECRET "FR7630006000011234567890189"

/* A letter's or a document's bytes. */
static const char pdf[] = "%PDF-1.4 Lefèvre Zéphyrine 12 rue des Tilleuls";

static int64_t payee(struct fixture *f, int64_t t, const char *kind, const char *nom,
                     int64_t person_id, const char *iban)
{
	int64_t id = 0;
	assert_int_equal(q_int(f->db, &id,
	                       "INSERT INTO payees (tenant_id, kind, nom, iban, person_id, "
	                       "created_at) VALUES (?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?) "
	                       "RETURNING id",
	                       "itttii", t, kind, nom, iban, person_id, clock_now()),
	                 1);
	return id;
}

static int64_t payment(struct fixture *f, int64_t t, int64_t d, int64_t payee_id, int64_t cents,
                       int echeance, const char *objet)
{
	int64_t id = 0;
	assert_int_equal(
	    q_int(f->db, &id,
	          "INSERT INTO payments (tenant_id, dossier_id, mode, payee_id, montant, "
	          "echeance, objet, state, paye_le, created_at, updated_at) VALUES (?, "
	          "?, 'virement', ?, ?, ?, ?, 'paye', '2024-02-25', 0, 0) RETURNING id",
	          "iiiiit", t, d, payee_id, cents, (int64_t)echeance, objet),
	    1);
	return id;
}

static void consultation(struct fixture *f, int64_t t, int64_t d, int64_t p, int64_t verif)
{
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO consultations (tenant_id, dossier_id, person_id, agent_id, "
	           "agent_label, at, api, endpoint, recipient, scopes, parameters, http_status, "
	           "request_id, response_sha256, response, signature, key_id, public_key, "
	           "verification_id, spi_hash) VALUES (?, ?, ?, 1, 'instr@a.fr', ?, 'particulier', "
	           "'/v3/dss/quotient_familial/identite', '21750001600019', "
	           "'cnaf_quotient_familial', '{\"nomNaissance\":\"Lefèvre\",\"prenoms\":"
	           "[\"Zéphyrine\"]}', 200, 'req-123', 'abc', '{\"quotient_familial\":{\"valeur\":"
	           "512},\"allocataires\":[{\"nom_naissance\":\"Lefèvre\"}]}', 'sig', 'k1', 'pk', "
	           "nullif(CAST(? AS BIGINT), 0), 'hash-spi')",
	           "iiiii", t, d, p, clock_make(2024, 1, 20, 9, 0, 0), verif),
	    0);
}

static void evaluation(struct fixture *f, int64_t t, int64_t d)
{
	int64_t id = 0;
	assert_int_equal(
	    q_int(
	        f->db, &id,
	        "INSERT INTO evaluations (tenant_id, dossier_id, rule_version_id, date_reference, "
	        "inputs, result, issue, montant_centimes, created_by_label, created_at) VALUES "
	        "(?, ?, ?, '2024-01-15', '{\"variables\":{\"qf_caf\":\"512.40\","
	        "\"commune_residence\":\"75056\"},\"situation\":{\"personnes\":[{\"nom\":"
	        "\"Lefèvre\"}]}}', '{\"explication\":\"Zéphyrine\"}', 'eligible', 25000, 'x', 0) "
	        "RETURNING id",
	        "iii", t, d, f->version),
	    1);
	assert_int_equal(
	    q_exec(f->db, "UPDATE dossiers SET evaluation_id = ? WHERE id = ?", "ii", id, d), 0);
}

static void papers(struct fixture *f, int64_t t, int64_t d)
{
	int64_t letter = 0;
	assert_int_equal(
	    q_int(f->db, &letter,
	          "INSERT INTO letters (tenant_id, dossier_id, kind, numero, titre, pdf, pdf_size, "
	          "pdf_sha256, data, created_by_label, created_at) VALUES (?, ?, "
	          "'notification_accord', 1, 'Notification', ?, 10, 'x', '{\"nom\":\"Lefèvre\"}', "
	          "'x', 0) RETURNING id",
	          "iib", t, d, (const void *)pdf, sizeof(pdf)),
	    1);
	assert_int_equal(
	    q_exec(
	        f->db,
	        "INSERT INTO documents (tenant_id, dossier_id, piece, nom_fichier, type_mime, "
	        "taille, sha256, created_by_label, created_at, contenu) VALUES (?, ?, "
	        "'Avis d''imposition', 'avis-Lefèvre.pdf', 'application/pdf', 10, 'x', 'x', 0, ?)",
	        "iib", t, d, (const void *)pdf, sizeof(pdf)),
	    0);
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO document_requests (tenant_id, dossier_id, pieces, "
	                        "message, letter_id, created_by_label, created_at) VALUES (?, ?, "
	                        "'[\"RIB\"]', 'Madame Lefèvre, merci', ?, 'x', 0)",
	                        "iii", t, d, letter),
	                 0);
}

static void agenda(struct fixture *f, int64_t t, int64_t d)
{
	int64_t c = 0;
	assert_int_equal(q_int(f->db, &c,
	                       "INSERT INTO commissions (tenant_id, date_seance, lieu, state, "
	                       "created_at, updated_at) VALUES (?, '2024-02-19', 'Salle', 'close', "
	                       "0, 0) RETURNING id",
	                       "i", t),
	                 1);
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO commission_items (tenant_id, commission_id, dossier_id, "
	           "ordre, decision, montant, motif, vote, added_at, en_cours) VALUES "
	           "(?, ?, ?, 1, 'accorde', 25000, 'Situation de Mme Lefèvre', "
	           "'Unanimité', 0, 0)",
	           "iii", t, c, d),
	    0);
}

/* Everything a dossier of the whole path holds, as the modules write it. */
static void enrich(struct fixture *f, int64_t t, int64_t d, int64_t p)
{
	int64_t v = 0;
	assert_int_equal(q_int(f->db, &v,
	                       "INSERT INTO verifications (tenant_id, dossier_id, agent_label, at, "
	                       "spi_hash) VALUES (?, ?, 'instr@a.fr', 1, 'hash-spi') RETURNING id",
	                       "ii", t, d),
	                 1);
	consultation(f, t, d, p, v);
	evaluation(f, t, d);
	papers(f, t, d);
	agenda(f, t, d);
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO dossier_lines (tenant_id, dossier_id, kind, category, "
	                        "label, montant) VALUES (?, ?, 'charge', 'loyer', 'Loyer Dupuis', "
	                        "60000)",
	                        "ii", t, d),
	                 0);
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO dossier_events (tenant_id, dossier_id, kind, detail, "
	                        "created_at) VALUES (?, ?, 'note', 'Note confidentielle : NIR 2 84 "
	                        "05 75 056 123 45', 0)",
	                        "ii", t, d),
	                 0);
}

static void make_users(struct fixture *f)
{
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO users (id, tenant_id, email, display_name, role, "
	                        "password_hash, created_at) VALUES (1, ?, 'i@a.fr', 'Inès', "
	                        "'instructeur', 'x', 0), (2, ?, 'v@a.fr', 'Victor', 'valideur', "
	                        "'x', 0), (3, ?, 'a@a.fr', 'Anne', 'administrateur', 'x', 0)",
	                        "iii", f->ta, f->ta, f->ta),
	                 0);
	actor(&f->admin, f->ta, ROLE_ADMINISTRATEUR, "a@a.fr", 3);
	actor(&f->valideur, f->ta, ROLE_VALIDEUR, "v@a.fr", 2);
	actor(&f->instr, f->ta, ROLE_INSTRUCTEUR, "i@a.fr", 1);
	actor(&f->accueil, f->ta, ROLE_ACCUEIL, "accueil@a.fr", 0);
	actor(&f->admin_b, f->tb, ROLE_ADMINISTRATEUR, "a@b.fr", 0);
	actor(&f->accueil_b, f->tb, ROLE_ACCUEIL, "accueil@b.fr", 0);
}

static int64_t aid(struct fixture *f, const struct actor *who)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", "energie", "label", "Aide à l'énergie",
	                       "description", "");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(aid_type_create(f->db, who, in, &id, &errors), errors, "aid");
	json_decref(in);
	return id;
}

/* Tenant A: the Lefèvre dossier, granted and closed in March 2024 (due
 * in March 2026) with everything attached; the Martin dossier refused in
 * January 2026 (not due); the Durand dossier granted and closed in
 * February 2024 but held; a person and a landlord no dossier holds.
 * Tenant B: a dossier classé sans suite in January 2024. */
static void make_world(struct fixture *f)
{
	clock_set_override(clock_make(2024, 1, 1, 9, 0, 0));
	f->ta = make_tenant(f, "21750001600019");
	f->tb = make_tenant(f, "26690001800018");
	make_users(f);
	f->aid = aid(f, &f->admin);
	f->aid_b = aid(f, &f->admin_b);
	assert_int_equal(q_int(f->db, &f->version,
	                       "INSERT INTO rule_versions (tenant_id, aid_type_id, numero, du, "
	                       "document, status, created_by_label, created_at, updated_at) VALUES "
	                       "(?, ?, 1, '2020-01-01', '{}', 'actif', 'x', 0, 0) RETURNING id",
	                       "ii", f->ta, f->aid),
	                 1);
	f->p_lef = person(f, &f->accueil, "Lefèvre", "Zéphyrine", 1);
	f->p_noe = person(f, &f->accueil, "Lefèvre", "Noé", 1);
	int64_t garnier = person(f, &f->accueil, "Garnier", "Hugo", 0);
	f->p_mar = person(f, &f->accueil, "Martin", "Claire", 0);
	f->p_dur = person(f, &f->accueil, "Durand", "Paul", 0);
	f->p_old = person(f, &f->accueil, "Oubliée", "Anne", 0);
	f->h_lef = household(f, &f->accueil, f->p_lef);
	member(f, f->h_lef, f->p_noe, "enfant");
	member(f, f->h_lef, garnier, "conjoint");
	f->h_mar = household(f, &f->accueil, f->p_mar);
	member(f, f->h_mar, garnier, "autre");
	f->h_dur = household(f, &f->accueil, f->p_dur);
	f->d_granted =
	    dossier(f, &f->accueil, f->h_lef, f->aid, "Loyer impayé après un arrêt maladie");
	f->d_recent = dossier(f, &f->accueil, f->h_mar, f->aid, "Facture d'eau");
	f->d_held = dossier(f, &f->accueil, f->h_dur, f->aid, "Facture de gaz");
	enrich(f, f->ta, f->d_granted, f->p_lef);
	f->edf = payee(f, f->ta, "energie", "EDF", 0, "FR7630004000031234567890143");
	f->dupuis = payee(f, f->ta, "bailleur", "Dupuis-Bailleur", 0, IBAN_SECRET);
	payee(f, f->ta, "autre", "Dormant-Tiers", 0, IBAN_SECRET);
	int64_t benef = payee(f, f->ta, "beneficiaire", "Zéphyrine Lefèvre", f->p_lef, IBAN_SECRET);
	const char *objet = "Loyer de Zéphyrine Lefèvre";
	int64_t pay = payment(f, f->ta, f->d_granted, f->dupuis, 15000, 1, objet);
	payment(f, f->ta, f->d_granted, f->edf, 5000, 2, objet);
	payment(f, f->ta, f->d_granted, benef, 5000, 3, objet);
	payment(f, f->ta, f->d_held, f->edf, 8000, 1, "Facture de gaz");
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO payment_vouchers (tenant_id, payment_id, numero, valeur) "
	           "VALUES (?, ?, 'B-0001', 1000)",
	           "ii", f->ta, pay),
	    0);
	close_dossier(f->db, f->d_granted, "accorde", 25000, 2024, 3, 10);
	close_dossier(f->db, f->d_recent, "refuse", 0, 2026, 1, 15);
	close_dossier(f->db, f->d_held, "accorde", 8000, 2024, 2, 1);
	f->p_b = person(f, &f->accueil_b, "Bernard", "Lucie", 0);
	f->h_b = household(f, &f->accueil_b, f->p_b);
	f->d_b = dossier(f, &f->accueil_b, f->h_b, f->aid_b, "Aide alimentaire");
	close_dossier(f->db, f->d_b, "sans_suite", 0, 2024, 1, 5);
	clock_set_override(clock_make(2026, 5, 1, 9, 0, 0));
	f->p_new = person(f, &f->accueil, "Récente", "Inès", 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	actor(&f->sys, 0, ROLE_SYSTEME, "test", 0);
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	make_world(f);
	json_t *errors = NULL;
	json_t *in = json_pack("{s:s, s:s}", "gel_type", "contentieux", "gel_motif",
	                       "Requête n° 2401234 au tribunal administratif");
	ok(retention_hold_set(f->db, &f->valideur, f->d_held, in, &errors), errors, "hold");
	json_decref(in);
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

/* --- helpers --- */

/* The day of the purges: 1 June 2026, 04:00 in Paris. */
static int64_t now(void)
{
	return clock_make(2026, 6, 1, 2, 0, 0);
}

static json_t *purge(struct fixture *f, int64_t tenant, int dry, int batch, int stop_after)
{
	struct purge_opts o = {.tenant_id = tenant,
	                       .dry_run = dry,
	                       .batch = batch,
	                       .stop_after = stop_after,
	                       .by = "test"};
	json_t *report = NULL;
	clock_set_override(now());
	int rc = purge_run(f->db, &f->sys, now(), &o, &report);
	if (rc != 0)
		fail_msg("purge_run: %s", cas_err_name(rc));
	assert_non_null(report);
	return report;
}

static int64_t tenant_count(json_t *report, int64_t tenant, const char *key)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(report, "ccas"), i, e)
	{
		if (json_integer_value(json_object_get(e, "tenant_id")) == tenant)
			return json_integer_value(
			    json_object_get(json_object_get(e, "counts"), key));
	}
	return -1;
}

static json_t *table_names(struct db *db)
{
	if (db_kind(db) == DB_SQLITE)
		return q_rows(
		    db,
		    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
		    "'sqlite_%' ORDER BY name",
		    "");
	return q_rows(db,
	              "SELECT table_name AS name FROM information_schema.tables WHERE "
	              "table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
	              "");
}

/* The tables where a secret word still is: "" when none. */
static void find_secrets(struct db *db, char *out, size_t size)
{
	json_t *tables = table_names(db);
	assert_non_null(tables);
	out[0] = '\0';
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t)
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT * FROM %s",
		         json_string_value(json_object_get(t, "name")));
		json_t *rows = q_rows(db, sql, "");
		assert_non_null(rows);
		char *text = json_dumps(rows, 0);
		for (size_t k = 0; text && k < sizeof(secrets) / sizeof(secrets[0]); k++)
			if (strstr(text, secrets[k]))
				snprintf(out + strlen(out), size - strlen(out), "%s:%s ",
				         json_string_value(json_object_get(t, "name")), secrets[k]);
		json_free_text(text);
		json_decref(rows);
	}
	json_decref(tables);
}

static int64_t rows_of(struct db *db, const char *table, const char *where, int64_t id)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s", table, where);
	return count(db, sql, id);
}

static int exists(struct db *db, const char *table, int64_t id)
{
	return rows_of(db, table, "id = ?", id) == 1;
}

static int64_t purge_entries(struct db *db, int64_t tenant)
{
	return rows_of(db, "audit_log", "action = 'purge' AND tenant_id = ?", tenant);
}

static void chain_intact(struct fixture *f)
{
	json_t *rep = NULL;
	assert_int_equal(audit_verify(f->db, &f->sys, AUDIT_VERIFY_ALL, NULL, &rep), 0);
	if (!json_is_true(json_object_get(rep, "intact"))) {
		char *s = json_dumps(rep, JSON_INDENT(1));
		fail_msg("audit chain broken: %s", s);
	}
	json_decref(rep);
}

/* --- the tests --- */

static void two_years_later_the_personal_data_are_gone(void **state)
{
	struct fixture *f = *state;
	char found[2048];
	find_secrets(f->db, found, sizeof(found));
	assert_true(strstr(found, "persons:Lefèvre") && strstr(found, "audit_log:Zéphyrine") &&
	            strstr(found, "dossier_events:2 84 05"));
	json_t *rep = purge(f, f->ta, 0, 0, 0);
	/* the Lefèvre dossier and all it held */
	assert_false(exists(f->db, "dossiers", f->d_granted));
	assert_false(exists(f->db, "persons", f->p_lef));
	assert_false(exists(f->db, "persons", f->p_noe));
	assert_false(exists(f->db, "households", f->h_lef));
	assert_false(exists(f->db, "payees", f->dupuis));
	assert_false(exists(f->db, "persons", f->p_old)); /* no dossier, untouched since 2024 */
	static const char *const emptied[] = {
	    "consultations",    "verifications", "evaluations",
	    "letters",          "documents",     "document_requests",
	    "commission_items", "dossier_lines", "payment_vouchers"};
	for (size_t i = 0; i < sizeof(emptied) / sizeof(emptied[0]); i++)
		assert_int_equal(rows_of(f->db, emptied[i], "tenant_id = ?", f->ta), 0);
	find_secrets(f->db, found, sizeof(found));
	if (*found)
		fail_msg("personal data left: %s", found);
	/* what stays: the other dossiers, the shared member, the landlord still paid */
	assert_true(exists(f->db, "dossiers", f->d_recent));
	assert_true(exists(f->db, "dossiers", f->d_held)); /* the legal hold */
	assert_true(exists(f->db, "persons", f->p_mar));
	assert_true(exists(f->db, "persons", f->p_new));
	assert_int_equal(rows_of(f->db, "persons", "nom_naissance = 'Garnier' AND 1 = ?", 1), 1);
	assert_true(exists(f->db, "payees", f->edf));
	assert_true(exists(f->db, "dossiers", f->d_b)); /* another CCAS: not asked */
	assert_int_equal(tenant_count(rep, f->ta, "dossiers"), 1);
	assert_int_equal(tenant_count(rep, f->ta, "usagers"), 2);
	assert_int_equal(tenant_count(rep, f->ta, "usagers_sans_dossier"), 1);
	assert_int_equal(tenant_count(rep, f->ta, "titulaires"), 2); /* landlord, own account */
	assert_int_equal(tenant_count(rep, f->ta, "titulaires_sans_dossier"), 1);
	assert_true(tenant_count(rep, f->ta, "audit_caviarde") >= 5);
	json_decref(rep);
	chain_intact(f);
	assert_int_equal(purge_entries(f->db, f->ta), 1);
	assert_int_equal(purge_entries(f->db, f->tb), 0);
	/* a second run has nothing to do and writes nothing */
	rep = purge(f, f->ta, 0, 0, 0);
	assert_int_equal(json_object_size(json_object_get(rep, "totals")), 0);
	json_decref(rep);
	assert_int_equal(purge_entries(f->db, f->ta), 1);
}

static void statistics_and_traces_remain(void **state)
{
	struct fixture *f = *state;
	json_decref(purge(f, 0, 0, 0, 0));
	json_t *s = q_row(f->db, NULL,
	                  "SELECT aid_type_id, mois, issue, montant_demande, montant_accorde, "
	                  "montant_verse, type_foyer, tranche_qf, commune FROM dossier_stats WHERE "
	                  "tenant_id = ?",
	                  "i", f->ta);
	assert_non_null(s);
	assert_int_equal(json_integer_value(json_object_get(s, "aid_type_id")), f->aid);
	assert_string_equal(json_string_value(json_object_get(s, "mois")), "2024-02");
	assert_string_equal(json_string_value(json_object_get(s, "issue")), "accorde");
	assert_int_equal(json_integer_value(json_object_get(s, "montant_demande")), 30000);
	assert_int_equal(json_integer_value(json_object_get(s, "montant_accorde")), 25000);
	assert_int_equal(json_integer_value(json_object_get(s, "montant_verse")), 25000);
	assert_string_equal(json_string_value(json_object_get(s, "type_foyer")),
	                    "couple_avec_enfants");
	assert_string_equal(json_string_value(json_object_get(s, "tranche_qf")), "400-599");
	assert_string_equal(json_string_value(json_object_get(s, "commune")), "75056");
	json_decref(s);
	s = q_row(f->db, NULL,
	          "SELECT issue, type_foyer, tranche_qf FROM dossier_stats WHERE tenant_id = ?",
	          "i", f->tb);
	assert_string_equal(json_string_value(json_object_get(s, "issue")), "sans_suite");
	assert_string_equal(json_string_value(json_object_get(s, "type_foyer")), "personne_seule");
	assert_string_equal(json_string_value(json_object_get(s, "tranche_qf")), "");
	json_decref(s);
	json_t *t =
	    q_row(f->db, NULL,
	          "SELECT agent_label, api, http_status, request_id FROM consultation_traces "
	          "WHERE tenant_id = ?",
	          "i", f->ta);
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(t, "request_id")), "req-123");
	assert_int_equal(json_integer_value(json_object_get(t, "http_status")), 200);
	json_decref(t);
	assert_int_equal(purge_entries(f->db, f->tb), 1);
	chain_intact(f);
}

static void a_dry_run_changes_nothing(void **state)
{
	struct fixture *f = *state;
	static const char *const tables[] = {
	    "dossiers",      "persons",    "households",          "audit_log",
	    "dossier_stats", "purge_runs", "consultation_traces", "payees"};
	int64_t before[8];
	for (int i = 0; i < 8; i++)
		before[i] = rows_of(f->db, tables[i], "1 = ?", 1);
	char found_before[2048], found_after[2048];
	find_secrets(f->db, found_before, sizeof(found_before));
	json_t *rep = purge(f, 0, 1, 0, 0);
	assert_true(json_is_true(json_object_get(rep, "dry_run")));
	assert_int_equal(tenant_count(rep, f->ta, "dossiers"), 1);
	assert_int_equal(tenant_count(rep, f->tb, "dossiers"), 1);
	json_t *listed =
	    json_object_get(json_array_get(json_object_get(rep, "ccas"), 0), "dossiers");
	assert_int_equal(json_array_size(listed), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(listed, 0), "purge_le")),
	    "2026-03-10");
	json_decref(rep);
	for (int i = 0; i < 8; i++)
		assert_int_equal(rows_of(f->db, tables[i], "1 = ?", 1), before[i]);
	find_secrets(f->db, found_after, sizeof(found_after));
	assert_string_equal(found_before, found_after);
	assert_false(db_in_transaction(f->db));
}

/* Three due dossiers, one a batch: stopped after the first batch, the run
 * is resumed by the next one, which writes the one audit entry. */
static void a_stopped_purge_is_resumed(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	json_t *in = json_pack("{s:s}", "levee_motif", "Jugement rendu");
	ok(retention_hold_lift(f->db, &f->valideur, f->d_held, in, &errors), errors, "lift");
	json_decref(in);
	clock_set_override(clock_make(2024, 1, 2, 9, 0, 0));
	int64_t extra = dossier(f, &f->accueil, f->h_mar, f->aid, "Facture d'électricité");
	close_dossier(f->db, extra, "refuse", 0, 2024, 1, 3);
	json_t *rep = purge(f, f->ta, 0, 1, 1);
	assert_true(json_is_true(json_object_get(rep, "interrupted")));
	json_decref(rep);
	assert_int_equal(rows_of(f->db, "dossier_stats", "tenant_id = ?", f->ta), 1);
	assert_int_equal(
	    rows_of(f->db, "purge_runs", "finished_at IS NULL AND tenant_id = ?", f->ta), 1);
	assert_int_equal(purge_entries(f->db, f->ta), 0);
	rep = purge(f, f->ta, 0, 1, 0);
	assert_false(json_is_true(json_object_get(rep, "interrupted")));
	json_t *entry = json_array_get(json_object_get(rep, "ccas"), 0);
	assert_true(json_is_true(json_object_get(entry, "resumed")));
	assert_int_equal(tenant_count(rep, f->ta, "dossiers"), 2);
	json_t *run = json_object_get(entry, "run");
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(run, "counts"), "dossiers")), 3);
	json_decref(rep);
	assert_int_equal(rows_of(f->db, "dossier_stats", "tenant_id = ?", f->ta), 3);
	assert_int_equal(rows_of(f->db, "dossiers", "tenant_id = ?", f->ta), 1);
	assert_int_equal(purge_entries(f->db, f->ta), 1);
	json_t *a = q_row(f->db, NULL,
	                  "SELECT changes FROM audit_log WHERE action = 'purge' AND tenant_id = ?",
	                  "i", f->ta);
	json_t *changes = json_loads(json_string_value(json_object_get(a, "changes")), 0, NULL);
	assert_int_equal(
	    json_integer_value(json_array_get(json_object_get(changes, "dossiers"), 1)), 3);
	json_decref(changes);
	json_decref(a);
	chain_intact(f);
}

static void shorter_clocks_for_answers_and_traces(void **state)
{
	struct fixture *f = *state;
	consultation(f, f->ta, f->d_recent, f->p_mar, 0);
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO consultation_traces (id, tenant_id, at, agent_label, "
	                        "api, endpoint, recipient) VALUES (999, ?, ?, 'x', 'particulier', "
	                        "'/v3', '21750001600019')",
	                        "ii", f->ta, clock_make(2023, 5, 31, 9, 0, 0)),
	                 0);
	assert_int_equal(
	    q_exec(f->db, "UPDATE tenants SET conservation_corps_api = 3 WHERE id = ?", "i", f->ta),
	    0);
	json_t *rep = purge(f, f->ta, 0, 0, 0);
	assert_int_equal(tenant_count(rep, f->ta, "corps_api_effaces"), 1);
	assert_int_equal(tenant_count(rep, f->ta, "traces_api_expirees"), 1);
	json_decref(rep);
	json_t *c = q_row(f->db, NULL,
	                  "SELECT parameters, response, spi_hash, request_id, corps_efface_le FROM "
	                  "consultations WHERE dossier_id = ?",
	                  "i", f->d_recent);
	assert_string_equal(json_string_value(json_object_get(c, "parameters")), "{}");
	assert_true(json_is_null(json_object_get(c, "response")));
	assert_true(json_is_null(json_object_get(c, "spi_hash")));
	assert_string_equal(json_string_value(json_object_get(c, "request_id")), "req-123");
	assert_int_equal(json_integer_value(json_object_get(c, "corps_efface_le")), now());
	json_decref(c);
	assert_false(exists(f->db, "consultation_traces", 999));
	assert_true(exists(f->db, "consultation_traces", 1)); /* the purged dossier's: 2024 */
}

static void expect_error(int rc, json_t *errors, const char *field)
{
	assert_int_equal(rc, CAS_EINVAL);
	if (!json_object_get(errors, field)) {
		char *s = json_dumps(errors, 0);
		fail_msg("no error on %s: %s", field, s ? s : "(none)");
	}
	json_decref(errors);
}

static json_t *settings_in(const char *accorde, const char *corps)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "accorde", accorde, "refus", "12",
	                 "corps_api", corps, "traces_api", "36", "acces", "6");
}

static void settings_are_checked_and_audited(void **state)
{
	struct fixture *f = *state;
	int rc;
	json_t *errors = NULL, *in = settings_in("11", "");
	rc = retention_settings_update(f->db, &f->admin, in, &errors);
	expect_error(rc, errors, "accorde");
	json_decref(in);
	in = settings_in("24", "30");
	rc = retention_settings_update(f->db, &f->admin, in, &errors);
	expect_error(rc, errors, "corps_api");
	json_decref(in);
	in = settings_in("24", "6");
	char field[32];
	snprintf(field, sizeof(field), "refus_%lld", (long long)f->aid);
	json_object_set_new(in, field, json_string("2"));
	rc = retention_settings_update(f->db, &f->admin, in, &errors);
	expect_error(rc, errors, field);
	json_object_set_new(in, field, json_string("6"));
	assert_int_equal(retention_settings_update(f->db, &f->valideur, in, &errors), CAS_EPERM);
	rc = retention_settings_update(f->db, &f->admin, in, &errors);
	ok(rc, errors, "settings");
	json_decref(in);
	int err = 0;
	json_t *s = retention_settings(f->db, &f->admin, &err);
	assert_int_equal(json_integer_value(json_object_get(s, "refus")), 12);
	assert_int_equal(json_integer_value(json_object_get(s, "corps_api")), 6);
	assert_int_equal(json_integer_value(json_object_get(s, "acces")), 6);
	json_t *a = json_array_get(json_object_get(s, "aides"), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "refus")), 6);
	assert_int_equal(json_integer_value(json_object_get(a, "accorde")), 0);
	json_decref(s);
	assert_int_equal(rows_of(f->db, "audit_log",
	                         "action = 'modification' AND object_type = 'tenant' AND "
	                         "changes LIKE '%conservation_refus%' AND tenant_id = ?",
	                         f->ta),
	                 1);
	assert_int_equal(rows_of(f->db, "audit_log",
	                         "action = 'modification' AND object_type = 'aid_type' AND "
	                         "changes LIKE '%conservation_refus%' AND tenant_id = ?",
	                         f->ta),
	                 1);
	/* tenant B keeps its own */
	s = retention_settings(f->db, &f->admin_b, &err);
	assert_int_equal(json_integer_value(json_object_get(s, "refus")), 24);
	json_decref(s);
}

static void holds_are_reserved_and_audited(void **state)
{
	struct fixture *f = *state;
	int rc;
	json_t *errors = NULL;
	json_t *in =
	    json_pack("{s:s, s:s}", "gel_type", "recours", "gel_motif", "Recours gracieux");
	assert_int_equal(retention_hold_set(f->db, &f->instr, f->d_recent, in, &errors), CAS_EPERM);
	assert_int_equal(retention_hold_set(f->db, &f->valideur, f->d_b, in, &errors),
	                 CAS_ENOTFOUND);
	rc = retention_hold_set(f->db, &f->valideur, f->d_held, in, &errors);
	expect_error(rc, errors, "gel_type"); /* one hold in force at a time */
	json_object_set_new(in, "gel_type", json_string("appel"));
	json_object_set_new(in, "gel_motif", json_string(""));
	retention_hold_set(f->db, &f->admin, f->d_recent, in, &errors);
	assert_non_null(json_object_get(errors, "gel_motif"));
	expect_error(CAS_EINVAL, errors, "gel_type");
	json_decref(in);
	int err = 0;
	json_t *d = retention_dossier(f->db, &f->accueil, f->d_held, now(), &err);
	assert_non_null(d);
	json_t *gel = json_object_get(d, "gel");
	assert_string_equal(json_string_value(json_object_get(gel, "kind")), "contentieux");
	assert_null(json_object_get(gel, "motif")); /* the front desk sees the hold, not why */
	assert_false(json_is_true(json_object_get(d, "can_hold")));
	assert_string_equal(json_string_value(json_object_get(d, "purge_le")), "01/02/2026");
	json_decref(d);
	in = json_pack("{s:s}", "levee_motif", "");
	rc = retention_hold_lift(f->db, &f->valideur, f->d_held, in, &errors);
	expect_error(rc, errors, "levee_motif");
	json_object_set_new(in, "levee_motif", json_string("Requête rejetée"));
	rc = retention_hold_lift(f->db, &f->admin, f->d_held, in, &errors);
	ok(rc, errors, "lift");
	assert_int_equal(retention_hold_lift(f->db, &f->admin, f->d_held, in, &errors),
	                 CAS_ENOTFOUND);
	json_decref(in);
	d = retention_dossier(f->db, &f->valideur, f->d_held, now(), &err);
	assert_true(json_is_null(json_object_get(d, "gel")));
	assert_int_equal(json_array_size(json_object_get(d, "historique")), 1);
	json_decref(d);
	assert_int_equal(rows_of(f->db, "audit_log",
	                         "object_type = 'dossier' AND action IN ('gel_conservation', "
	                         "'levee_gel') AND object_id = ?",
	                         f->d_held),
	                 2);
	json_t *rep = purge(f, f->ta, 0, 0, 0);
	assert_int_equal(tenant_count(rep, f->ta, "dossiers"), 2);
	assert_int_equal(tenant_count(rep, f->ta, "gels"), 1);
	json_decref(rep);
	assert_false(exists(f->db, "dossiers", f->d_held));
	assert_int_equal(rows_of(f->db, "legal_holds", "tenant_id = ?", f->ta), 0);
	chain_intact(f);
}

static void the_preview_shows_thirty_days_ahead(void **state)
{
	struct fixture *f = *state;
	int err = 0;
	int64_t day = clock_make(2026, 2, 15, 9, 0, 0);
	assert_null(retention_preview(f->db, &f->valideur, day, 30, &err));
	assert_int_equal(err, CAS_EPERM);
	json_t *p = retention_preview(f->db, &f->admin, day, 30, &err);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "until")), "2026-03-17");
	json_t *list = json_object_get(p, "dossiers");
	assert_int_equal(json_array_size(list), 2);
	json_t *first = json_array_get(list, 0), *second = json_array_get(list, 1);
	assert_int_equal(json_integer_value(json_object_get(first, "id")), f->d_held);
	assert_true(json_is_true(json_object_get(first, "gel")));
	assert_true(json_is_true(json_object_get(first, "en_retard")));
	assert_int_equal(json_integer_value(json_object_get(second, "id")), f->d_granted);
	assert_string_equal(json_string_value(json_object_get(second, "purge_le")), "10/03/2026");
	assert_int_equal(json_integer_value(json_object_get(second, "jours")), 23);
	assert_int_equal(json_array_size(json_object_get(p, "gels")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(p, "sans_dossier"), "usagers")), 1);
	json_decref(p);
	/* an aid kept 36 months when granted: out of the window */
	char field[32];
	json_t *errors = NULL, *in = settings_in("24", "");
	snprintf(field, sizeof(field), "accorde_%lld", (long long)f->aid);
	json_object_set_new(in, field, json_string("36"));
	ok(retention_settings_update(f->db, &f->admin, in, &errors), errors, "settings");
	json_decref(in);
	p = retention_preview(f->db, &f->admin, day, 30, &err);
	assert_int_equal(json_array_size(json_object_get(p, "dossiers")), 0);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(two_years_later_the_personal_data_are_gone, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(statistics_and_traces_remain, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_dry_run_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_stopped_purge_is_resumed, setup, teardown),
	    cmocka_unit_test_setup_teardown(shorter_clocks_for_answers_and_traces, setup, teardown),
	    cmocka_unit_test_setup_teardown(settings_are_checked_and_audited, setup, teardown),
	    cmocka_unit_test_setup_teardown(holds_are_reserved_and_audited, setup, teardown),
	    cmocka_unit_test_setup_teardown(the_preview_shows_thirty_days_ahead, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
