/* Rights of the person on the store suite's backend (testdb.h): the export
 * of a rich person holds every category, every table that refers to a
 * person (read from the schema) is covered by the export, the export is
 * audited and access-logged, permissions and tenant isolation, the PDF,
 * the rectification audited, and the erasure refused with its reason or
 * done (the person gone, the audit redacted, the chain still intact). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/aid_types.h"
#include "app/audit_verify.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/person_export.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/consultation_store.h"
#include "store/db.h"
#include "store/document_store.h"
#include "store/evaluation_store.h"
#include "store/letter_store.h"
#include "store/migrate.h"
#include "store/payment_store.h"
#include "store/query.h"
#include "store/verification_store.h"
#include "testdb.h"

#define IBAN_OWN   "FR7630006000011234567890189"
#define IBAN_OTHER "DE89370400440532013000"

struct fixture {
	struct db *db;
	struct actor admin, instr, valideur, accueil, auditeur, admin_b;
	int64_t ta, tb, person, spouse, child, household, aid, dossier;
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
	snprintf(who->display_name, sizeof(who->display_name), "%s", label);
}

static void ok(int rc, json_t *errors, const char *what)
{
	if (rc != 0) {
		char *s = errors ? json_dumps(errors, 0) : NULL;
		fail_msg("%s: %d %s", what, rc, s ? s : "");
	}
	json_decref(errors);
}

static int64_t make_tenant(struct db *db, const char *siret)
{
	json_t *in = json_pack("{s:s, s:s, s:s}", "name", "CCAS de Test", "siret", siret,
	                       "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(tenant_create(db, &sys, in, &id, &errors), errors, "tenant");
	json_decref(in);
	return id;
}

static int64_t make_person(struct fixture *f, const struct actor *who, const char *nom,
                           const char *prenom, const char *sexe)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom,
	                       "prenom1", prenom, "sexe", sexe, "date_naissance", "1984-05-12",
	                       "lieu_type", "commune", "commune_naissance", "75056", "nationalite",
	                       "francaise", "adresse", "3 rue des Lilas");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(person_create(f->db, who, in, &id, &errors), errors, "person");
	json_decref(in);
	return id;
}

static int64_t make_household(struct fixture *f, int64_t demandeur)
{
	json_t *in = json_pack("{s:I, s:s}", "demandeur_id", (json_int_t)demandeur, "date_entree",
	                       "2020-01-01");
	int64_t id = 0;
	json_t *errors = NULL;
	ok(household_create(f->db, &f->accueil, in, &id, &errors), errors, "household");
	json_decref(in);
	return id;
}

static void add_member(struct fixture *f, int64_t household, int64_t person, const char *rel,
                       const char *since)
{
	json_t *in = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)person, "relation", rel,
	                       "date_entree", since);
	int64_t id = 0;
	json_t *errors = NULL;
	ok(household_add_member(f->db, &f->accueil, household, in, &id, &errors), errors, "member");
	json_decref(in);
}

static void users(struct fixture *f)
{
	assert_int_equal(q_exec(f->db,
	                        "INSERT INTO users (id, tenant_id, email, display_name, role, "
	                        "password_hash, created_at) VALUES (1, ?, 'i@a.fr', 'Inès Agent', "
	                        "'instructeur', 'x', 0), (2, ?, 'adm@a.fr', 'Adèle Admin', "
	                        "'administrateur', 'x', 0)",
	                        "ii", f->ta, f->ta),
	                 0);
	actor(&f->admin, f->ta, ROLE_ADMINISTRATEUR, "adm@a.fr", 2);
	actor(&f->instr, f->ta, ROLE_INSTRUCTEUR, "i@a.fr", 1);
	actor(&f->valideur, f->ta, ROLE_VALIDEUR, "v@a.fr", 0);
	actor(&f->accueil, f->ta, ROLE_ACCUEIL, "accueil@a.fr", 0);
	actor(&f->auditeur, f->ta, ROLE_AUDITEUR, "auditeur@a.fr", 0);
	actor(&f->admin_b, f->tb, ROLE_ADMINISTRATEUR, "adm@b.fr", 0);
}

static void make_dossier(struct fixture *f)
{
	json_t *errors = NULL;
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", "energie", "label", "Aide à l'énergie",
	                       "description", "");
	ok(aid_type_create(f->db, &f->admin, in, &f->aid, &errors), errors, "aid");
	json_decref(in);
	in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)f->household,
	               "aid_type_id", (json_int_t)f->aid, "motif", "Facture d'énergie impayée",
	               "montant_demande", "300");
	ok(dossier_create(f->db, &f->accueil, in, &f->dossier, &errors), errors, "dossier");
	json_decref(in);
	int64_t line = 0;
	in = json_pack("{s:s, s:s, s:s}", "category", "salaire", "label", "Salaire", "montant",
	               "1 250,00");
	ok(dossier_add_line(f->db, &f->instr, f->dossier, in, &line, &errors), errors, "line");
	json_decref(in);
	in = json_pack("{s:s}", "note", "Note confidentielle : facture de janvier.");
	ok(dossier_add_note(f->db, &f->instr, f->dossier, in, &errors), errors, "note");
	json_decref(in);
	assert_int_equal(q_exec(f->db,
	                        "UPDATE dossiers SET state = 'notifie', decision = 'accorde', "
	                        "montant_accorde = 30000, decided_at = ?, state_since = ? WHERE "
	                        "id = ?",
	                        "iii", clock_now(), clock_now(), f->dossier),
	                 0);
}

static void add_evaluation(struct fixture *f)
{
	int64_t rv = 0, id = 0;
	assert_int_equal(q_int(f->db, &rv,
	                       "INSERT INTO rule_versions (tenant_id, aid_type_id, numero, du, "
	                       "document, status, created_by_label, created_at, updated_at) VALUES "
	                       "(?, ?, 1, '2026-01-01', '{}', 'actif', 'test', 0, 0) RETURNING id",
	                       "ii", f->ta, f->aid),
	                 1);
	struct evaluation_row e = {
	    .dossier_id = f->dossier,
	    .rule_version_id = rv,
	    .date_reference = "2026-03-15",
	    .inputs = "{\"variables\":{\"qf_caf\":\"560\"}}",
	    .result = "{\"issue\":\"eligible\",\"explication\":{\"texte\":[\"QF sous le "
	              "plafond.\"]}}",
	    .issue = "eligible",
	    .montant_centimes = 30000,
	    .created_by = 1,
	    .created_by_label = "i@a.fr",
	};
	assert_int_equal(evaluation_store_insert(f->db, f->ta, &e, clock_now(), &id), 0);
}

static void add_commission(struct fixture *f)
{
	int64_t c = 0;
	assert_int_equal(
	    q_int(f->db, &c,
	          "INSERT INTO commissions (tenant_id, date_seance, lieu, state, "
	          "created_at, updated_at) VALUES (?, '2026-03-12', 'Salle du conseil', "
	          "'close', 0, 0) RETURNING id",
	          "i", f->ta),
	    1);
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO commission_items (tenant_id, commission_id, dossier_id, "
	           "ordre, decision, montant, motif, vote, added_at, en_cours) VALUES "
	           "(?, ?, ?, 1, 'accorde', 30000, 'Situation justifiée', 'Unanimité', "
	           "0, 0)",
	           "iii", f->ta, c, f->dossier),
	    0);
}

static void add_papers(struct fixture *f)
{
	int64_t id = 0;
	static const unsigned char pdf[] = "%PDF-1.4 courrier";
	struct letter_row l = {.dossier_id = f->dossier,
	                       .kind = "accuse_reception",
	                       .titre = "Accusé de réception",
	                       .numero = 1,
	                       .pdf = pdf,
	                       .pdf_size = sizeof(pdf),
	                       .pdf_sha256 = "00",
	                       .data = "{}",
	                       .created_by = 1,
	                       .created_by_label = "i@a.fr",
	                       .created_at = clock_now()};
	assert_int_equal(letter_store_insert(f->db, f->ta, &l, &id), 0);
	struct document_row d = {.dossier_id = f->dossier,
	                         .piece = "Facture d'énergie",
	                         .nom_fichier = "facture.pdf",
	                         .type_mime = "application/pdf",
	                         .sha256 = "00",
	                         .contenu = "%PDF-1.4 facture",
	                         .taille = 16,
	                         .created_by = 1,
	                         .created_by_label = "i@a.fr"};
	assert_int_equal(document_store_insert(f->db, f->ta, &d, clock_now(), &id), 0);
	assert_int_equal(document_store_request_insert(f->db, f->ta, f->dossier,
	                                               "[\"Avis d'imposition\"]", "Merci.", 1,
	                                               "i@a.fr", clock_now(), &id),
	                 0);
}

static void add_payments(struct fixture *f)
{
	int64_t own = 0, other = 0, id = 0, ech = 0;
	struct payee_row p = {"beneficiaire", "Gaëlle Lefèvre", IBAN_OWN, "", f->person, 1};
	assert_int_equal(payee_store_insert(f->db, f->ta, &p, clock_now(), &own), 0);
	struct payee_row b = {"energie", "Énergie Plus", IBAN_OTHER, "", 0, 1};
	assert_int_equal(payee_store_insert(f->db, f->ta, &b, clock_now(), &other), 0);
	struct payment_row v = {f->dossier,     "virement",   own, 10000,
	                        "Aide énergie", "2026-03-20", 1};
	assert_int_equal(payment_store_insert(f->db, f->ta, &v, clock_now(), &id, &ech), 0);
	v.payee_id = other;
	assert_int_equal(payment_store_insert(f->db, f->ta, &v, clock_now(), &id, &ech), 0);
	struct payment_row n = {f->dossier, "nature", 0, 10000, "Bons alimentaires", NULL, 1};
	assert_int_equal(payment_store_insert(f->db, f->ta, &n, clock_now(), &id, &ech), 0);
	assert_int_equal(payment_store_voucher_insert(f->db, f->ta, id, "B-0001", 10000), 0);
}

static void add_consultations(struct fixture *f)
{
	int64_t vid = 0, id = 0;
	struct verification_row v = {f->dossier, 1, "i@a.fr", clock_now(), 2025, "abc"};
	assert_int_equal(verification_store_insert(f->db, f->ta, &v, &vid), 0);
	struct consultation_row c = {
	    .dossier_id = f->dossier,
	    .person_id = f->person,
	    .agent_id = 1,
	    .verification_id = vid,
	    .agent_label = "i@a.fr",
	    .at = clock_now(),
	    .api = "particulier",
	    .endpoint = "/v3/dss/quotient_familial/identite",
	    .recipient = "21750001600019",
	    .scopes = "cnaf_quotient_familial",
	    .parameters = "{\"nomNaissance\":\"LEFEVRE\"}",
	    .http_status = 200,
	    .request_id = "req-1",
	    .response_sha256 = "00",
	    .response = "{\"quotient_familial\":{\"fournisseur\":\"CNAF\",\"valeur\":560}}",
	    .signature = "sig",
	    .key_id = "k1",
	    .public_key = "pk"};
	assert_int_equal(consultation_store_insert(f->db, f->ta, &c, &id), 0);
}

/* A hold, lifted (in force when lifted is 0). */
static void add_hold(struct fixture *f, int lifted)
{
	assert_int_equal(
	    q_exec(f->db,
	           "INSERT INTO legal_holds (tenant_id, dossier_id, kind, motif, "
	           "created_by_label, created_at, lifted_by_label, lifted_at, "
	           "lift_motif) VALUES (?, ?, 'recours', 'Recours gracieux', 'adm@a.fr', "
	           "?, ?, ?, ?)",
	           "iiittt", f->ta, f->dossier, clock_now(), lifted ? "adm@a.fr" : NULL,
	           lifted ? "1773568800" : NULL, lifted ? "Rejeté" : NULL),
	    0);
}

static void make_world(struct fixture *f)
{
	f->ta = make_tenant(f->db, "21750001600019");
	f->tb = make_tenant(f->db, "21690123100011");
	users(f);
	f->person = make_person(f, &f->accueil, "Lefèvre", "Gaëlle", "F");
	f->spouse = make_person(f, &f->accueil, "Martin", "Paul", "M");
	f->child = make_person(f, &f->accueil, "Martin", "Zoé", "F");
	f->household = make_household(f, f->person);
	add_member(f, f->household, f->spouse, "conjoint", "2020-01-01");
	add_member(f, f->household, f->child, "enfant", "2021-06-01");
	make_dossier(f);
	add_evaluation(f);
	add_commission(f);
	add_papers(f);
	add_payments(f);
	add_consultations(f);
	add_hold(f, 1);
	access_log_read(f->db, &f->instr, "person", f->person);
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

/* --- helpers on the document --- */

static json_t *export_of(struct fixture *f, int64_t person)
{
	json_t *doc = NULL;
	assert_int_equal(person_export(f->db, &f->admin, person, PERSON_EXPORT_JSON, &doc), 0);
	assert_non_null(doc);
	return doc;
}

static json_t *nonempty(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_array(v) || json_array_size(v) == 0)
		fail_msg("category %s missing or empty", key);
	return v;
}

static const char *s_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* --- export --- */

static void test_every_category(void **state)
{
	struct fixture *f = *state;
	json_t *doc = export_of(f, f->person);
	assert_string_equal(s_of(doc, "format"), "cassis-export-personne");
	assert_string_equal(s_of(json_object_get(doc, "ccas"), "siret"), "21750001600019");
	json_t *pe = json_object_get(doc, "personne");
	assert_string_equal(s_of(pe, "nom_naissance"), "Lefèvre");
	assert_string_equal(s_of(pe, "adresse"), "3 rue des Lilas");
	assert_string_equal(s_of(pe, "created_at"), "2026-03-15T10:00:00Z");

	json_t *h = json_array_get(nonempty(doc, "foyers"), 0);
	json_t *members = nonempty(h, "membres");
	assert_int_equal(json_array_size(members), 3);
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{ /* the birth date of the others is theirs */
		int self = json_integer_value(json_object_get(m, "person_id")) == f->person;
		assert_int_equal(json_object_get(m, "date_naissance") != NULL, self);
	}
	json_t *own = json_array_get(nonempty(doc, "comptes_bancaires"), 0);
	assert_string_equal(s_of(own, "iban"), IBAN_OWN);

	json_t *d = json_array_get(nonempty(doc, "dossiers"), 0);
	assert_string_equal(s_of(d, "role"), "demandeur");
	assert_string_equal(s_of(d, "state"), "notifie");
	assert_string_equal(s_of(d, "decision"), "accorde");
	static const char *const lists[] = {
	    "lignes",     "notes",         "historique",    "evaluations",
	    "commission", "courriers",     "pieces",        "demandes_pieces",
	    "paiements",  "consultations", "verifications", "gels_conservation",
	    NULL};
	for (int k = 0; lists[k]; k++)
		nonempty(d, lists[k]);
	assert_string_equal(
	    s_of(json_object_get(d, "conservation"), "texte"),
	    "en cours (état « Notifié ») : il est conservé 24 mois après sa clôture");
	assert_string_equal(s_of(json_array_get(json_object_get(d, "notes"), 0), "detail"),
	                    "Note confidentielle : facture de janvier.");
	json_t *ev = json_array_get(json_object_get(d, "evaluations"), 0);
	assert_true(json_is_object(json_object_get(ev, "inputs")));
	json_t *c = json_array_get(json_object_get(d, "consultations"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(json_object_get(c, "response"), "quotient_familial"), "valeur")),
	    560);
	assert_null(json_object_get(c, "signature"));
	json_t *pays = json_object_get(d, "paiements");
	assert_int_equal(json_array_size(pays), 3);
	assert_string_equal(s_of(json_object_get(json_array_get(pays, 0), "titulaire"), "iban"),
	                    IBAN_OWN);
	const char *masked = s_of(json_object_get(json_array_get(pays, 1), "titulaire"), "iban");
	assert_null(strstr(masked, "0532013000"));
	assert_true(strlen(masked) > 0);
	nonempty(json_array_get(pays, 2), "bons");
	nonempty(doc, "journal_acces");
	nonempty(doc, "journal_audit");
	json_decref(doc);
}

/* The tables whose rows refer to a person: the closure, through the
 * foreign keys, of those pointing at persons, plus every table with a
 * person_id column (the access log has no foreign key). */
static json_t *schema_fks(struct db *db)
{
	if (db_kind(db) == DB_SQLITE)
		return q_rows(db,
		              "SELECT m.name AS tbl, f.\"table\" AS ref FROM sqlite_master m JOIN "
		              "pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
		              "");
	return q_rows(db,
	              "SELECT DISTINCT kcu.table_name AS tbl, ccu.table_name AS ref FROM "
	              "information_schema.table_constraints tc JOIN "
	              "information_schema.key_column_usage kcu ON kcu.constraint_name = "
	              "tc.constraint_name AND kcu.table_schema = tc.table_schema JOIN "
	              "information_schema.constraint_column_usage ccu ON ccu.constraint_name = "
	              "tc.constraint_name AND ccu.table_schema = tc.table_schema WHERE "
	              "tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
	              "");
}

static json_t *schema_person_columns(struct db *db)
{
	if (db_kind(db) == DB_SQLITE)
		return q_rows(
		    db,
		    "SELECT m.name AS tbl FROM sqlite_master m JOIN pragma_table_info(m.name) "
		    "c WHERE m.type = 'table' AND c.name IN ('person_id', 'applicant_id')",
		    "");
	return q_rows(db,
	              "SELECT table_name AS tbl FROM information_schema.columns WHERE "
	              "table_schema = current_schema() AND column_name IN ('person_id', "
	              "'applicant_id')",
	              "");
}

static int covered(const char *table)
{
	for (const struct person_export_table *t = person_export_tables; t->table; t++)
		if (strcmp(t->table, table) == 0)
			return 1;
	return 0;
}

static json_t *person_tables(struct db *db)
{
	json_t *set = json_pack("{s:b}", "persons", 1);
	json_t *cols = schema_person_columns(db), *fks = schema_fks(db), *r;
	assert_non_null(cols);
	assert_non_null(fks);
	size_t i;
	json_array_foreach(cols, i, r) json_object_set_new(set, s_of(r, "tbl"), json_true());
	for (int grew = 1; grew;) {
		grew = 0;
		json_array_foreach(fks, i, r)
		{
			if (json_object_get(set, s_of(r, "ref")) &&
			    !json_object_get(set, s_of(r, "tbl"))) {
				json_object_set_new(set, s_of(r, "tbl"), json_true());
				grew = 1;
			}
		}
	}
	json_decref(cols);
	json_decref(fks);
	return set;
}

static void test_schema_covered(void **state)
{
	struct fixture *f = *state;
	json_t *set = person_tables(f->db);
	const char *table;
	json_t *v;
	assert_true(json_object_size(set) >= 15);
	json_object_foreach(set, table, v)
	{
		if (!covered(table))
			fail_msg("table %s refers to a person but is not in the export "
			         "(app/person_export.c, person_export_tables)",
			         table);
	}
	json_decref(set);
	for (const struct person_export_table *t = person_export_tables; t->table; t++) {
		int64_t n = -1;
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->table);
		if (q_int(f->db, &n, sql, "") != 1)
			fail_msg("table %s of the export does not exist", t->table);
	}
}

static void test_audited_and_logged(void **state)
{
	struct fixture *f = *state;
	json_t *doc = NULL;
	assert_int_equal(person_export(f->db, &f->admin, f->person, PERSON_EXPORT_PDF, &doc), 0);
	json_decref(doc);
	int64_t n = 0;
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT count(*) FROM audit_log WHERE action = 'export_donnees' AND "
	                       "object_type = 'person' AND object_id = ? AND changes LIKE '%pdf%'",
	                       "i", f->person),
	                 1);
	assert_int_equal(n, 1);
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT count(*) FROM access_log WHERE actor_label = 'adm@a.fr' AND "
	                       "person_id = ? AND object_type IN ('person', 'dossier', "
	                       "'consultation')",
	                       "i", f->person),
	                 1);
	assert_int_equal(n, 3);
	/* the next export shows both */
	doc = export_of(f, f->person);
	json_t *audit = json_object_get(doc, "journal_audit");
	assert_string_equal(s_of(json_array_get(audit, json_array_size(audit) - 1), "action"),
	                    "export_donnees");
	json_decref(doc);
}

static void test_permissions_and_isolation(void **state)
{
	struct fixture *f = *state;
	const struct actor *denied[] = {&f->accueil, &f->instr, &f->valideur, &f->auditeur};
	json_t *doc = NULL;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(
		    person_export(f->db, denied[i], f->person, PERSON_EXPORT_JSON, &doc),
		    CAS_EPERM);
		char *why = NULL;
		assert_int_equal(person_erase(f->db, denied[i], f->person, &why), CAS_EPERM);
		assert_null(why);
	}
	assert_int_equal(person_export(f->db, &f->admin_b, f->person, PERSON_EXPORT_JSON, &doc),
	                 CAS_ENOTFOUND);
	assert_null(doc);
	char *why = NULL;
	assert_int_equal(person_erase(f->db, &f->admin_b, f->person, &why), CAS_ENOTFOUND);
	int err = 0;
	assert_null(person_erase_refusal(f->db, &f->admin_b, f->person, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
}

static void test_pdf(void **state)
{
	struct fixture *f = *state;
	json_t *doc = export_of(f, f->person);
	unsigned char *pdf = NULL;
	size_t len = 0;
	assert_int_equal(person_export_pdf(f->db, &f->admin, doc, &pdf, &len), 0);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	free(pdf);
	json_decref(doc);
}

static void test_rectification_audited(void **state)
{
	struct fixture *f = *state;
	json_t *p = person_get(f->db, &f->accueil, f->person, &(int){0});
	json_t *in = json_object();
	for (int i = 0; person_fields[i]; i++) {
		json_t *v = json_object_get(p, person_fields[i]);
		json_object_set_new(in, person_fields[i],
		                    json_string(json_is_string(v) ? json_string_value(v) : ""));
	}
	json_object_set_new(in, "date_naissance", json_string("12/05/1984"));
	json_object_set_new(in, "telephone", json_string("01 23 45 67 89"));
	json_t *errors = NULL;
	ok(person_update(f->db, &f->accueil, f->person, in, &errors), errors, "update");
	json_decref(in);
	json_decref(p);
	json_t *doc = export_of(f, f->person);
	json_t *audit = json_object_get(doc, "journal_audit"), *e;
	size_t i;
	int found = 0;
	json_array_foreach(audit, i, e)
	{
		json_t *tel = json_object_get(json_object_get(e, "changes"), "telephone");
		if (strcmp(s_of(e, "action"), "modification") == 0 && tel &&
		    strcmp(json_string_value(json_array_get(tel, 1)), "01 23 45 67 89") == 0)
			found = 1;
	}
	assert_true(found);
	json_decref(doc);
}

/* --- erasure --- */

static void test_erase_refused(void **state)
{
	struct fixture *f = *state;
	char *why = NULL;
	assert_int_equal(person_erase(f->db, &f->admin, f->person, &why), CAS_ECONFLICT);
	assert_non_null(why);
	assert_non_null(strstr(why, "La personne est demandeuse du dossier 2026-00001"));
	assert_non_null(strstr(why, "(obligation légale de conservation)"));
	free(why);
	why = NULL;
	assert_int_equal(person_erase(f->db, &f->admin, f->spouse, &why), CAS_ECONFLICT);
	assert_non_null(strstr(why, "membre du foyer du dossier 2026-00001"));
	free(why);
	int64_t n = 0;
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT count(*) FROM audit_log WHERE action = 'effacement_refuse' "
	                       "AND changes LIKE '%2026-00001%'",
	                       ""),
	                 1);
	assert_int_equal(n, 2);
	assert_int_equal(q_int(f->db, &n, "SELECT count(*) FROM persons WHERE id IN (?, ?)", "ii",
	                       f->person, f->spouse),
	                 1);
	assert_int_equal(n, 2);
}

static void test_closed_dossier_kept_until(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(
	    q_exec(f->db, "UPDATE dossiers SET state = 'cloture', state_since = ? WHERE id = ?",
	           "ii", clock_make(2026, 3, 15, 10, 0, 0), f->dossier),
	    0);
	int err = 0;
	char *why = person_erase_refusal(f->db, &f->admin, f->person, &err);
	assert_non_null(why);
	assert_non_null(strstr(why, "conservé jusqu'au 15/03/2028"));
	free(why);
	json_t *doc = export_of(f, f->person);
	json_t *c =
	    json_object_get(json_array_get(json_object_get(doc, "dossiers"), 0), "conservation");
	assert_string_equal(s_of(c, "jusqu_au"), "2028-03-15");
	json_decref(doc);
	add_hold(f, 0);
	why = person_erase_refusal(f->db, &f->admin, f->person, &err);
	assert_non_null(strstr(why, "gelé pour"));
	free(why);
}

static void test_erase_allowed(void **state)
{
	struct fixture *f = *state;
	/* alone in a household, bank details, no dossier */
	int64_t p = make_person(f, &f->accueil, "Durand", "Léon", "M");
	int64_t h = make_household(f, p);
	int64_t y = 0;
	struct payee_row row = {"beneficiaire", "Léon Durand", IBAN_OWN, "", p, 1};
	assert_int_equal(payee_store_insert(f->db, f->ta, &row, clock_now(), &y), 0);
	/* a member who joined after the dossier opened: not kept by it */
	clock_set_override(clock_make(2026, 4, 2, 10, 0, 0));
	int64_t late = make_person(f, &f->accueil, "Petit", "Inès", "F");
	add_member(f, f->household, late, "autre", "2026-04-01");

	int err = -1;
	assert_null(person_erase_refusal(f->db, &f->admin, p, &err));
	assert_int_equal(err, 0);
	char *why = NULL;
	assert_int_equal(person_erase(f->db, &f->admin, p, &why), 0);
	assert_null(why);
	assert_int_equal(person_erase(f->db, &f->admin, late, &why), 0);
	int64_t n = -1;
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT (SELECT count(*) FROM persons WHERE id IN (?, ?)) + (SELECT "
	                       "count(*) FROM households WHERE id = ?) + (SELECT count(*) FROM "
	                       "payees WHERE id = ?) + (SELECT count(*) FROM household_members "
	                       "WHERE person_id IN (?, ?))",
	                       "iiiiii", p, late, h, y, p, late),
	                 1);
	assert_int_equal(n, 0);
	/* the household of the dossier stays with its members */
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT count(*) FROM household_members WHERE "
	                       "household_id = ?",
	                       "i", f->household),
	                 1);
	assert_int_equal(n, 3);
	/* audit: the entries about the person are redacted, the erasure recorded */
	json_t *rows = q_rows(f->db,
	                      "SELECT action, changes FROM audit_log WHERE object_type = 'person' "
	                      "AND object_id = ? ORDER BY id",
	                      "i", p);
	assert_true(json_array_size(rows) >= 2);
	assert_null(strstr(s_of(json_array_get(rows, 0), "changes"), "DURAND"));
	assert_non_null(strstr(s_of(json_array_get(rows, 0), "changes"), "[effacé]"));
	assert_string_equal(s_of(json_array_get(rows, json_array_size(rows) - 1), "action"),
	                    "effacement");
	json_decref(rows);
	assert_int_equal(q_int(f->db, &n,
	                       "SELECT count(*) FROM audit_log WHERE changes LIKE '%Durand%' OR "
	                       "changes LIKE '%DURAND%'",
	                       ""),
	                 1);
	assert_int_equal(n, 0);
	json_t *report = NULL;
	assert_int_equal(audit_verify(f->db, &sys, f->ta, NULL, &report), 0);
	assert_true(json_is_true(json_object_get(report, "intact")));
	json_decref(report);
	/* gone: 404 */
	json_t *doc = NULL;
	assert_int_equal(person_export(f->db, &f->admin, p, PERSON_EXPORT_JSON, &doc),
	                 CAS_ENOTFOUND);
	assert_int_equal(person_erase(f->db, &f->admin, p, &why), CAS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_category, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_covered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audited_and_logged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_permissions_and_isolation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pdf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rectification_audited, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_erase_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closed_dossier_kept_until, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_erase_allowed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
