/* "Vérifier la situation" against a database, without any network: a
 * tenant that is connected to nothing still records both consultations,
 * signed, under one verification; the numéro fiscal is found in no table,
 * only its keyed hash, the same for the same number; input refusals write
 * nothing; permissions and tenant isolation; the DGFiP settings and
 * scopes; the evaluation takes the RFR and parts of the latest successful
 * DGFiP consultation as certified. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/consult_caf.h"
#include "app/consultations.h"
#include "app/dossiers.h"
#include "app/evaluate_internal.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/verify.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/proof.h"
#include "store/consultation_store.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

#define SIRET_A "21750001600019"
#define SIRET_B "21690123100011"
#define SPI     "3049990103244"

struct fixture {
	struct db *db;
	struct actor admin, instr, accueil, auditeur, instr_b, op;
	int64_t tenant_a, dossier, aid;
	char dir[64];
};

static struct proof_key key;

static int64_t make_tenant(struct db *db, const struct actor *sys, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, sys, in, &id, &errors), 0);
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

static int64_t make_dossier(struct fixture *f)
{
	json_t *errors = NULL;
	int64_t person, aid, hid, did;
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "N'Diaye", "prenom1",
	              "Aminata", "sexe", "F", "date_naissance", "1990-06-21", "lieu_type",
	              "commune", "commune_naissance", "13055", "nationalite", "francaise");
	assert_int_equal(person_create(f->db, &f->instr, in, &person, &errors), 0);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s}", "code", "aide_verif", "label", "Aide", "description", "");
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &aid, &errors), 0);
	json_decref(in);
	in = json_pack("{s:I}", "demandeur_id", (json_int_t)person);
	assert_int_equal(household_create(f->db, &f->instr, in, &hid, &errors), 0);
	json_decref(in);
	in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid, "aid_type_id",
	               (json_int_t)aid, "motif", "Essai", "montant_demande", "100");
	assert_int_equal(dossier_create(f->db, &f->instr, in, &did, &errors), 0);
	json_decref(in);
	f->aid = aid;
	return did;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	static const unsigned char spi_key[32] = "cle-d-essai-de-l-empreinte-spi!";
	assert_int_equal(crypto_init(), 0);
	clock_set_override(clock_make(2026, 9, 4, 10, 0, 0));
	snprintf(f->dir, sizeof(f->dir), "/tmp/cassis-verify-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char kp[128];
	snprintf(kp, sizeof(kp), "%s/k", f->dir);
	assert_int_equal(proof_key_load(kp, 1, &key, NULL), 0);
	consult_set_signing_key(&key);
	verify_set_spi_key(spi_key, sizeof(spi_key));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	actor_system(&f->op, "ligne de commande");
	f->tenant_a = make_tenant(f->db, &f->op, SIRET_A);
	int64_t tb = make_tenant(f->db, &f->op, SIRET_B);
	actor(&f->admin, f->tenant_a, ROLE_ADMINISTRATEUR, "admin@a.fr");
	actor(&f->instr, f->tenant_a, ROLE_INSTRUCTEUR, "instr@a.fr");
	actor(&f->accueil, f->tenant_a, ROLE_ACCUEIL, "accueil@a.fr");
	actor(&f->auditeur, f->tenant_a, ROLE_AUDITEUR, "audit@a.fr");
	actor(&f->instr_b, tb, ROLE_INSTRUCTEUR, "instr@b.fr");
	f->dossier = make_dossier(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	testdb_close(f->db);
	clock_clear_override();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

/* Every row of table as JSON text holds none of the SPI's spellings. */
static void assert_table_clean(struct db *db, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
	json_t *rows = q_rows(db, sql, "");
	assert_non_null(rows);
	char *text = json_dumps(rows, JSON_COMPACT);
	assert_null(strstr(text, SPI));
	assert_null(strstr(text, "3049990103"));
	json_free_text(text);
	json_decref(rows);
}

static int verify(struct fixture *f, const struct actor *who, const char *spi, const char *year,
                  struct verify_outcome *out, json_t **errors)
{
	json_t *in = json_pack("{s:s, s:s}", "spi", spi, "annee", year);
	int rc = verify_situation(f->db, who, f->dossier, in, out, errors);
	verify_wipe_input(in);
	assert_null(strstr(json_string_value(json_object_get(in, "spi")), "30"));
	json_decref(in);
	return rc;
}

static void test_not_connected(void **state)
{
	struct fixture *f = *state;
	struct verify_outcome out;
	json_t *errors = NULL;
	assert_int_equal(verify(f, &f->instr, "304 999 0103 244", "2024", &out, &errors), 0);
	assert_null(errors);
	assert_true(out.verification_id > 0 && out.caf_id > 0 && out.dgfip_id > 0);
	assert_false(out.caf_ok);
	assert_false(out.dgfip_ok);
	assert_string_equal(out.caf_kind, "internal");
	assert_string_equal(out.dgfip_kind, "internal");
	assert_null(out.spi_warning);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations WHERE verification_id IS "
	                              "NOT NULL"),
	                 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations WHERE api = 'impots' AND "
	                              "length(spi_hash) = 64"),
	                 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = "
	                              "'consultation'"),
	                 3);
	static const char *const tables[] = {"consultations", "verifications", "audit_log",
	                                     "dossier_events", "dossiers"};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		assert_table_clean(f->db, tables[i]);
	/* the view: both sides with their error, both proofs signed */
	int err;
	json_t *v = verification_get(f->db, &f->auditeur, f->dossier, out.verification_id, &err);
	assert_non_null(v);
	json_t *dg = json_object_get(v, "dgfip");
	assert_true(json_is_true(json_object_get(dg, "signature_valide")));
	assert_true(json_is_true(json_object_get(json_object_get(v, "caf"), "signature_valide")));
	assert_string_equal(json_string_value(json_object_get(dg, "api")), "impots");
	assert_non_null(json_object_get(v, "comparaison"));
	json_decref(v);
	json_t *doc = consultation_proof(f->db, &f->instr, f->dossier, out.dgfip_id, &err);
	const char *why;
	assert_int_equal(proof_verify(doc, key.pk, &why), 0);
	json_decref(doc);
}

static void test_hash_links(void **state)
{
	struct fixture *f = *state;
	struct verify_outcome a, b, c;
	json_t *errors = NULL;
	assert_int_equal(verify(f, &f->instr, SPI, "", &a, &errors), 0);
	assert_int_equal(verify(f, &f->instr, "3049990103.244", "", &b, &errors), 0);
	assert_int_equal(verify(f, &f->instr, "3049990104245", "", &c, &errors), 0);
	int err;
	json_t *ra = consultation_get(f->db, &f->instr, f->dossier, a.dgfip_id, &err);
	json_t *rb = consultation_get(f->db, &f->instr, f->dossier, b.dgfip_id, &err);
	json_t *rc = consultation_get(f->db, &f->instr, f->dossier, c.dgfip_id, &err);
	const char *ha = json_string_value(json_object_get(ra, "spi_hash"));
	assert_non_null(ha);
	assert_string_equal(ha, json_string_value(json_object_get(rb, "spi_hash")));
	assert_string_not_equal(ha, json_string_value(json_object_get(rc, "spi_hash")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(ra, "parametres"),
	                                                      "numero_fiscal_empreinte")),
	                    ha);
	json_decref(ra);
	json_decref(rb);
	json_decref(rc);
	json_t *list = verification_list(f->db, &f->instr, f->dossier, 10, &err);
	assert_int_equal(json_array_size(list), 3);
	assert_null(json_object_get(json_array_get(list, 0), "spi_hash"));
	json_decref(list);
}

static void test_input_refused(void **state)
{
	struct fixture *f = *state;
	struct verify_outcome out;
	json_t *errors = NULL;
	int64_t before = count(f->db, "SELECT count(*) FROM consultations");
	static const char *const bad[][2] = {
	    {"", ""},    {"30499901", ""}, {"30499901032AB", ""}, {"5049990103244", ""},
	    {SPI, "24"}, {SPI, "2026"},    {SPI, "1999"},         {SPI, "deux"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(verify(f, &f->instr, bad[i][0], bad[i][1], &out, &errors),
		                 CAS_EINVAL);
		assert_non_null(errors);
		assert_non_null(json_object_get(errors, i < 4 ? "spi" : "annee"));
		char *text = json_dumps(errors, JSON_COMPACT);
		assert_null(strstr(text, "3049990"));
		json_free_text(text);
		json_decref(errors);
		errors = NULL;
	}
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations"), before);
	assert_int_equal(count(f->db, "SELECT count(*) FROM verifications"), 0);
	/* the mod-511 check is a warning */
	assert_int_equal(verify(f, &f->instr, "3049990103245", "", &out, &errors), 0);
	assert_non_null(out.spi_warning);
	assert_non_null(strstr(out.spi_warning, "511"));
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct verify_outcome out;
	json_t *errors = NULL;
	assert_int_equal(verify(f, &f->accueil, SPI, "", &out, &errors), CAS_EPERM);
	assert_int_equal(verify(f, &f->auditeur, SPI, "", &out, &errors), CAS_EPERM);
	assert_int_equal(verify(f, &f->admin, SPI, "", &out, &errors), CAS_EPERM);
	assert_int_equal(verify(f, &f->instr_b, SPI, "", &out, &errors), CAS_ENOTFOUND);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations"), 0);
	assert_int_equal(verify(f, &f->instr, SPI, "", &out, &errors), 0);
	int err;
	assert_null(verification_get(f->db, &f->accueil, f->dossier, out.verification_id, &err));
	assert_int_equal(err, CAS_EPERM);
	assert_null(verification_get(f->db, &f->instr_b, f->dossier, out.verification_id, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	json_t *list = verification_list(f->db, &f->instr_b, f->dossier, 10, &err);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
}

static void test_settings(void **state)
{
	struct fixture *f = *state;
	char id[128], secret[128];
	snprintf(id, sizeof(id), "%s/id", f->dir);
	snprintf(secret, sizeof(secret), "%s/secret", f->dir);
	FILE *t = fopen(id, "w");
	fputs("client\n", t);
	fclose(t);
	t = fopen(secret, "w");
	fputs("secret-tres-secret\n", t);
	fclose(t);
	json_t *errors = NULL;
	json_t *s =
	    json_pack("{s:s, s:s, s:s, s:s}", "base_url", "ftp://x", "client_id_file", "relatif",
	              "client_secret_file", "/nulle/part", "id_teleservice", "A B");
	assert_int_equal(provider_set_impots(f->db, &f->op, SIRET_A, s, &errors), CAS_EINVAL);
	assert_int_equal(json_object_size(errors), 4);
	json_decref(errors);
	json_decref(s);
	s = json_pack("{s:s, s:s, s:s}", "base_url", "http://127.0.0.1:1", "client_id_file", id,
	              "client_secret_file", secret);
	assert_int_equal(provider_set_impots(f->db, &f->admin, SIRET_A, s, &errors), CAS_EPERM);
	assert_int_equal(provider_set_impots(f->db, &f->op, "00000000000000", s, &errors),
	                 CAS_ENOTFOUND);
	assert_int_equal(provider_set_impots(f->db, &f->op, SIRET_A, s, &errors), 0);
	json_decref(s);
	int err;
	json_t *got = provider_get_impots(f->db, &f->op, SIRET_A, &err);
	assert_string_equal(json_string_value(json_object_get(got, "client_secret_file")), secret);
	json_decref(got);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = "
	                              "'tenant_provider' AND changes LIKE '%tres-secret%'"),
	                 0);
	/* connected to nothing listening: a network failure, recorded */
	struct verify_outcome out;
	assert_int_equal(verify(f, &f->instr, SPI, "", &out, &errors), 0);
	assert_string_equal(out.dgfip_kind, "network");
	/* scopes */
	json_t *in = json_pack("{s:s}", "scopes", "dgfip_rfr licorne");
	assert_int_equal(aid_impots_scopes_set(f->db, &f->admin, f->aid, in, &errors), CAS_EINVAL);
	json_decref(errors);
	json_decref(in);
	in = json_pack("{s:[]}", "scopes");
	assert_int_equal(aid_impots_scopes_set(f->db, &f->admin, f->aid, in, &errors), CAS_EINVAL);
	json_decref(errors);
	json_decref(in);
	in = json_pack("{s:[s, s]}", "scopes", "dgfip_aft", "dgfip_rfr");
	assert_int_equal(aid_impots_scopes_set(f->db, &f->instr, f->aid, in, &errors), CAS_EPERM);
	assert_int_equal(aid_impots_scopes_set(f->db, &f->admin, f->aid, in, &errors), 0);
	json_decref(in);
	got = aid_impots_scopes_get(f->db, &f->admin, f->aid, &err);
	assert_string_equal(json_string_value(json_object_get(got, "scopes")),
	                    "dgfip_rfr dgfip_aft");
	json_decref(got);
}

static void test_certified_for_evaluation(void **state)
{
	struct fixture *f = *state;
	/* a successful DGFiP consultation, as verify.c writes it */
	struct consultation_row row = {
	    .dossier_id = f->dossier,
	    .agent_label = "instr@a.fr",
	    .at = clock_now(),
	    .api = VERIFY_API_IMPOTS,
	    .endpoint = "/impotparticulier/1.0/spi/{spi}/situations/ir/assiettes/annrev/2025",
	    .recipient = SIRET_A,
	    .scopes = "dgfip_rfr dgfip_nbpart",
	    .parameters = "{}",
	    .http_status = 200,
	    .response = "{\"annee_revenus\":2025,\"nombre_parts\":\"2.5\",\"rfr\":30000}",
	    .signature = "x",
	    .key_id = "x",
	    .public_key = "x",
	};
	int64_t id;
	assert_int_equal(consultation_store_insert(f->db, f->tenant_a, &row, &id), 0);
	int err;
	json_t *d = dossier_store_get(f->db, f->tenant_a, f->dossier, &err);
	assert_non_null(d);
	struct built b;
	assert_int_equal(situation_build(f->db, f->tenant_a, d, "2026-09-04", &b), 0);
	assert_string_equal(json_string_value(json_object_get(b.situation, "parts_fiscales")),
	                    "2.5");
	assert_non_null(strstr(json_string_value(json_object_get(b.situation, "rfr")), "30000"));
	assert_string_equal(json_string_value(json_object_get(b.origins, "rfr")), "certifie");
	assert_string_equal(json_string_value(json_object_get(b.origins, "parts")), "certifie");
	assert_string_equal(json_string_value(json_object_get(b.origins, "qf_fiscal")), "certifie");
	built_free(&b);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_not_connected, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_links, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_input_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_certified_for_evaluation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
