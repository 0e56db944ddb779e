/* Proofs of consultation: key files, canonical text, signature, and the
 * verification of a document (valid, altered field, altered response,
 * other key). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/err.h"
#include "base/proof.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	if (crypto_init() != 0)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/cassis-proof-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static json_t *sample_fields(const json_t *params, const json_t *minimised)
{
	char pd[65], md[65];
	proof_json_sha256(params, pd);
	proof_json_sha256(minimised, md);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "api",
	                 "particulier", "endpoint", "/v3/dss/quotient_familial/identite",
	                 "request_id", "3f2a-ééé\nX%", "time", "2026-05-04T10:00:00Z",
	                 "http_status", "200", "result", "ok", "error_code", "", "response_sha256",
	                 "ab12", "siret", "26999012300011", "agent", "4:instructeur@demoville.fr",
	                 "scopes", "cnaf_quotient_familial", "parameters_sha256", pd,
	                 "minimised_sha256", md);
}

static void test_key_files(void **state)
{
	(void)state;
	char p[128], pub[128];
	struct proof_key k1, k2;
	int created = 0;
	path_of("a.key", p, sizeof(p));
	assert_int_equal(proof_key_load(p, 0, &k1, &created), CAS_ENOTFOUND);
	assert_int_equal(proof_key_load(p, 1, &k1, &created), 0);
	assert_int_equal(created, 1);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(proof_key_create(p, &k2), CAS_ECONFLICT);
	assert_int_equal(proof_key_load(p, 1, &k2, &created), 0);
	assert_int_equal(created, 0);
	assert_memory_equal(k1.pk, k2.pk, sizeof(k1.pk));
	assert_string_equal(k1.key_id, k2.key_id);
	assert_int_equal(strlen(k1.key_id), 16);
	/* the public key from the secret file, from a public file, bare */
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	assert_int_equal(proof_public_key_read(p, pk), 0);
	assert_memory_equal(pk, k1.pk, sizeof(pk));
	path_of("a.pub", pub, sizeof(pub));
	FILE *f = fopen(pub, "w");
	fprintf(f, "# public\ned25519-public:%s\n", k1.pk_b64);
	fclose(f);
	memset(pk, 0, sizeof(pk));
	assert_int_equal(proof_public_key_read(pub, pk), 0);
	assert_memory_equal(pk, k1.pk, sizeof(pk));
	f = fopen(pub, "w");
	fprintf(f, "%s\n", k1.pk_b64);
	fclose(f);
	assert_int_equal(proof_public_key_read(pub, pk), 0);
	assert_memory_equal(pk, k1.pk, sizeof(pk));
	f = fopen(pub, "w");
	fprintf(f, "pas une clé\n");
	fclose(f);
	assert_int_equal(proof_public_key_read(pub, pk), CAS_EINVAL);
	assert_int_equal(proof_key_load(pub, 0, &k2, NULL), CAS_EINVAL);
	proof_key_wipe(&k1);
	proof_key_wipe(&k2);
}

static void test_canonical(void **state)
{
	(void)state;
	json_t *fields = sample_fields(NULL, NULL);
	char *text = proof_canonical(fields);
	assert_non_null(text);
	assert_non_null(strstr(text, "cassis-preuve-consultation-v1\napi=particulier\n"));
	/* a newline and a percent sign are escaped: no field spans lines */
	assert_non_null(strstr(text, "\nrequest_id=3f2a-ééé%0AX%25\n"));
	assert_non_null(strstr(text, "\nerror_code=\n"));
	free(text);
	json_object_del(fields, "agent");
	assert_null(proof_canonical(fields));
	json_object_set_new(fields, "agent", json_integer(4));
	assert_null(proof_canonical(fields));
	json_decref(fields);
	/* the digest of the canonical JSON does not depend on key order */
	char a[65], b[65], n[65];
	json_t *x = json_pack("{s:i, s:s}", "b", 1, "a", "é");
	json_t *y = json_pack("{s:s, s:i}", "a", "é", "b", 1);
	proof_json_sha256(x, a);
	proof_json_sha256(y, b);
	assert_string_equal(a, b);
	proof_json_sha256(NULL, n);
	json_t *null = json_null();
	proof_json_sha256(null, b);
	assert_string_equal(n, b);
	json_decref(x);
	json_decref(y);
}

/* A valid document signed with k. */
static json_t *signed_doc(const struct proof_key *k)
{
	json_t *params = json_pack("{s:s, s:[s]}", "nomNaissance", "ROUX", "prenoms", "JEANNE");
	json_t *min = json_pack("{s:{s:s, s:i, s:i, s:i}}", "quotient_familial", "fournisseur",
	                        "MSA", "valeur", 150, "annee", 2026, "mois", 5);
	json_t *fields = sample_fields(params, min);
	char sig[PROOF_B64_SIG];
	assert_int_equal(proof_sign(k, fields, sig), 0);
	assert_int_equal(proof_check(k->pk, fields, sig), 0);
	json_t *info = json_pack("{s:i}", "consultation", 7);
	json_t *doc = proof_document(fields, params, min, k->pk_b64, sig, info);
	json_decref(info);
	json_decref(fields);
	json_decref(params);
	json_decref(min);
	return doc;
}

static struct proof_key key_in(const char *name)
{
	char p[128];
	struct proof_key k;
	path_of(name, p, sizeof(p));
	assert_int_equal(proof_key_load(p, 1, &k, NULL), 0);
	return k;
}

static void test_verify(void **state)
{
	(void)state;
	struct proof_key k = key_in("v.key"), other = key_in("other.key");
	const char *why = NULL;
	json_t *doc = signed_doc(&k);
	assert_string_equal(json_string_value(json_object_get(doc, "identifiant_cle")), k.key_id);
	assert_int_equal(proof_verify(doc, NULL, &why), 0);
	assert_int_equal(proof_verify(doc, k.pk, &why), 0);
	/* the unsigned information may change */
	json_object_set_new(json_object_get(doc, "informations"), "consultation", json_integer(8));
	assert_int_equal(proof_verify(doc, k.pk, &why), 0);
	/* another key than the one expected */
	assert_int_equal(proof_verify(doc, other.pk, &why), CAS_EAUTH);
	assert_non_null(strstr(why, "clé publique"));
	/* through JSON text and back, still valid */
	char *text = json_dumps(doc, JSON_INDENT(2));
	json_t *again = json_loads(text, 0, NULL);
	free(text);
	assert_int_equal(proof_verify(again, k.pk, &why), 0);
	json_decref(again);
	json_decref(doc);
	proof_key_wipe(&k);
	proof_key_wipe(&other);
}

static void test_tampered(void **state)
{
	(void)state;
	struct proof_key k = key_in("t.key"), other = key_in("t2.key");
	const char *why = NULL;
	/* a signed field */
	json_t *doc = signed_doc(&k);
	json_object_set_new(json_object_get(doc, "champs"), "siret", json_string("21750001600019"));
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	assert_non_null(strstr(why, "signature"));
	json_decref(doc);
	/* the minimised response (its QF) */
	doc = signed_doc(&k);
	json_object_set_new(
	    json_object_get(json_object_get(doc, "reponse_minimisee"), "quotient_familial"),
	    "valeur", json_integer(1500));
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	assert_non_null(strstr(why, "réponse"));
	json_decref(doc);
	/* the parameters */
	doc = signed_doc(&k);
	json_object_set_new(json_object_get(doc, "parametres"), "nomNaissance", json_string("X"));
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	json_decref(doc);
	/* re-signed by another key that pretends to be k: the signature is
	 * another key's, the public key k's */
	doc = signed_doc(&other);
	json_object_set_new(doc, "cle_publique", json_string(k.pk_b64));
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	json_decref(doc);
	/* a field removed, a mangled signature, not a proof at all */
	doc = signed_doc(&k);
	json_object_del(json_object_get(doc, "champs"), "time");
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	json_decref(doc);
	doc = signed_doc(&k);
	json_object_set_new(doc, "signature", json_string("AAAA"));
	assert_int_equal(proof_verify(doc, NULL, &why), CAS_EAUTH);
	json_decref(doc);
	json_t *junk = json_pack("{s:s}", "type", "autre");
	assert_int_equal(proof_verify(junk, NULL, &why), CAS_EINVAL);
	json_decref(junk);
	proof_key_wipe(&k);
	proof_key_wipe(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_files),
	    cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_verify),
	    cmocka_unit_test(test_tampered),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
