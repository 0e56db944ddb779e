/* Consultations of API Particulier against a database, without any
 * network: a tenant that is not connected records a failed consultation,
 * signed; permissions, closed dossiers, tenant isolation, the missing
 * signing key; the provider settings and the aid types' scopes. */
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
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/proof.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

#define SIRET_A "21750001600019"
#define SIRET_B "21690123100011"

struct fixture {
	struct db *db;
	struct actor admin, instr, accueil, auditeur, instr_b, op;
	int64_t tenant_a, dossier, aid, household;
	char dir[64], token[128];
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
	who->user_id = 0;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", label);
}

static int64_t make_dossier(struct fixture *f)
{
	json_t *errors = NULL;
	int64_t person, aid, hid, did;
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "Lecœur", "prenom1",
	              "Anaïs", "sexe", "F", "date_naissance", "1992-03-08", "lieu_type", "commune",
	              "commune_naissance", "13055", "nationalite", "francaise");
	assert_int_equal(person_create(f->db, &f->instr, in, &person, &errors), 0);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s}", "code", "aide_test", "label", "Aide", "description", "");
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
	f->household = hid;
	return did;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_int_equal(crypto_init(), 0);
	clock_set_override(clock_make(2026, 5, 4, 10, 0, 0));
	snprintf(f->dir, sizeof(f->dir), "/tmp/cassis-consult-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char kp[128];
	snprintf(kp, sizeof(kp), "%s/k", f->dir);
	assert_int_equal(proof_key_load(kp, 1, &key, NULL), 0);
	consult_set_signing_key(&key);
	snprintf(f->token, sizeof(f->token), "%s/jeton", f->dir);
	FILE *t = fopen(f->token, "w");
	fputs("jeton-secret-essai\n", t);
	fclose(t);
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

static void test_not_connected(void **state)
{
	struct fixture *f = *state;
	struct consult_outcome out;
	int64_t events = count(f->db, "SELECT count(*) FROM dossier_events");
	assert_int_equal(consult_caf(f->db, &f->instr, f->dossier, &out), 0);
	assert_false(out.ok);
	assert_string_equal(out.kind, "internal");
	assert_true(out.consultation_id > 0);
	/* recorded with its audit entry; the dossier untouched */
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations"), 1);
	assert_int_equal(
	    count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'consultation'"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM dossier_events"), events);
	int err;
	json_t *c = consultation_get(f->db, &f->auditeur, f->dossier, out.consultation_id, &err);
	assert_non_null(c);
	assert_true(json_is_true(json_object_get(c, "signature_valide")));
	assert_string_equal(json_string_value(json_object_get(c, "recipient")), SIRET_A);
	assert_non_null(json_string_value(json_object_get(c, "error_message")));
	json_decref(c);
	/* the proof verifies, and fails once altered */
	const char *why;
	json_t *doc = consultation_proof(f->db, &f->instr, f->dossier, out.consultation_id, &err);
	assert_non_null(doc);
	assert_int_equal(proof_verify(doc, key.pk, &why), 0);
	json_object_set_new(json_object_get(doc, "champs"), "result", json_string("ok"));
	assert_int_equal(proof_verify(doc, key.pk, &why), CAS_EAUTH);
	json_decref(doc);
	/* altered in the database: the justificatif says so */
	assert_int_equal(q_exec(f->db, "UPDATE consultations SET agent_label = 'autre@a.fr'", ""),
	                 0);
	c = consultation_get(f->db, &f->instr, f->dossier, out.consultation_id, &err);
	assert_false(json_is_true(json_object_get(c, "signature_valide")));
	json_decref(c);
	/* nothing to compare nor to apply for a failed consultation */
	assert_null(consultation_compare(f->db, &f->instr, f->dossier, out.consultation_id, &err));
	assert_int_equal(err, CAS_ECONFLICT);
}

static void test_network_failure_and_token(void **state)
{
	struct fixture *f = *state;
	struct consult_outcome out;
	json_t *errors = NULL;
	assert_int_equal(provider_set_particulier(f->db, &f->op, SIRET_A, "http://127.0.0.1:1",
	                                          f->token, &errors),
	                 0);
	assert_int_equal(provider_is_demo(f->db, f->tenant_a), 1);
	assert_int_equal(consult_caf(f->db, &f->instr, f->dossier, &out), 0);
	assert_false(out.ok);
	assert_string_equal(out.kind, "network");
	int err;
	json_t *c = consultation_get(f->db, &f->instr, f->dossier, out.consultation_id, &err);
	/* the parameters sent: the identity as the API accepts it, never the token */
	json_t *p = json_object_get(c, "parametres");
	assert_string_equal(json_string_value(json_object_get(p, "nomNaissance")), "Lecoeur");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "prenoms"), 0)),
	                    "Anaïs");
	assert_string_equal(json_string_value(json_object_get(p, "codeCogInseeCommuneNaissance")),
	                    "13055");
	assert_string_equal(json_string_value(json_object_get(p, "recipient")), SIRET_A);
	assert_null(strstr(json_string_value(json_object_get(c, "parameters")), "jeton"));
	json_decref(c);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations WHERE parameters LIKE "
	                              "'%jeton%' OR coalesce(response, '') LIKE '%jeton%'"),
	                 0);
	/* a production URL is not a demonstration */
	assert_int_equal(provider_set_particulier(f->db, &f->op, SIRET_A,
	                                          "https://particulier.api.gouv.fr", f->token,
	                                          &errors),
	                 0);
	assert_int_equal(provider_is_demo(f->db, f->tenant_a), 0);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct consult_outcome out;
	int64_t before = count(f->db, "SELECT count(*) FROM consultations");
	assert_int_equal(consult_caf(f->db, &f->accueil, f->dossier, &out), CAS_EPERM);
	assert_int_equal(consult_caf(f->db, &f->auditeur, f->dossier, &out), CAS_EPERM);
	assert_int_equal(consult_caf(f->db, &f->instr_b, f->dossier, &out), CAS_ENOTFOUND);
	int err;
	assert_null(consultation_list(f->db, &f->accueil, f->dossier, 10, &err));
	assert_int_equal(err, CAS_EPERM);
	json_t *rows = consultation_list(f->db, &f->instr_b, f->dossier, 10, &err);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	int added;
	json_t *errors = NULL, *in = json_object();
	assert_int_equal(
	    consultation_apply_children(f->db, &f->auditeur, f->dossier, 1, in, &added, &errors),
	    CAS_EPERM);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations"), before);
	/* a closed dossier */
	json_t *st = json_pack("{s:s}", "motif", "Le demandeur a renoncé.");
	assert_int_equal(workflow_transition(f->db, &f->instr, f->dossier, "cloture", st, &errors),
	                 0);
	json_decref(st);
	assert_int_equal(consult_caf(f->db, &f->instr, f->dossier, &out), CAS_ECONFLICT);
	assert_int_equal(count(f->db, "SELECT count(*) FROM consultations"), before);
}

static void test_settings(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	/* the operator only; absolute readable file; http(s) URL */
	assert_int_equal(
	    provider_set_particulier(f->db, &f->admin, SIRET_A, "https://x.fr", f->token, &errors),
	    CAS_EPERM);
	assert_int_equal(
	    provider_set_particulier(f->db, &f->op, SIRET_A, "ftp://x", "jeton", &errors),
	    CAS_EINVAL);
	assert_non_null(json_object_get(errors, "base_url"));
	assert_non_null(json_object_get(errors, "token_file"));
	json_decref(errors);
	assert_int_equal(provider_set_particulier(f->db, &f->op, SIRET_A, "https://x.fr",
	                                          "/nulle/part/jeton", &errors),
	                 CAS_EINVAL);
	json_decref(errors);
	assert_int_equal(provider_set_particulier(f->db, &f->op, "21000000000000", "https://x.fr",
	                                          f->token, &errors),
	                 CAS_ENOTFOUND);
	/* scopes: the quotient alone by default; administrateur, known codes,
	 * at least one */
	int err;
	json_t *a = aid_scopes_get(f->db, &f->admin, f->aid, &err);
	assert_string_equal(json_string_value(json_object_get(a, "scopes")),
	                    "cnaf_quotient_familial");
	json_decref(a);
	json_t *in = json_pack("{s:[s, s]}", "scopes", "cnaf_enfants", "cnaf_quotient_familial");
	assert_int_equal(aid_scopes_set(f->db, &f->instr, f->aid, in, &errors), CAS_EPERM);
	assert_int_equal(aid_scopes_set(f->db, &f->admin, f->aid, in, &errors), 0);
	json_decref(in);
	a = aid_scopes_get(f->db, &f->admin, f->aid, &err);
	assert_string_equal(json_string_value(json_object_get(a, "scopes")),
	                    "cnaf_quotient_familial cnaf_enfants");
	json_decref(a);
	in = json_pack("{s:s}", "scopes", "cnaf_adresse, dgfip_rfr");
	assert_int_equal(aid_scopes_set(f->db, &f->admin, f->aid, in, &errors), CAS_EINVAL);
	json_decref(errors);
	json_decref(in);
	in = json_pack("{s:[]}", "scopes");
	assert_int_equal(aid_scopes_set(f->db, &f->admin, f->aid, in, &errors), CAS_EINVAL);
	json_decref(errors);
	json_decref(in);
	struct actor admin_b = f->instr_b;
	admin_b.role = ROLE_ADMINISTRATEUR;
	assert_null(aid_scopes_get(f->db, &admin_b, f->aid, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_not_connected),
	    cmocka_unit_test(test_network_failure_and_token),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_settings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
