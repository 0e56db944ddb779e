/* Encryption at rest (base/seal.h): key ring files, round trips, wrong
 * key, a value moved to another row, tampered bytes, the previous key
 * still opening during a rotation, and a ring file followed while it
 * changes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/err.h"
#include "base/seal.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	if (crypto_init() != 0)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/cassis-seal-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	seal_unload();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", dir, name);
}

/* A ring of count fresh keys. */
static void ring_of(struct seal_ring *r, int count)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < count; i++) {
		struct seal_key k;
		seal_key_generate(&k);
		assert_int_equal(seal_ring_add(r, &k, 0), 0);
	}
}

static void use_key(const struct seal_key *k)
{
	struct seal_ring r = {0};
	assert_int_equal(seal_ring_add(&r, k, 1), 0);
	seal_set_ring(&r);
}

static void test_key_id(void **state)
{
	(void)state;
	struct seal_key a, b;
	seal_key_generate(&a);
	b = a;
	memset(b.id_hex, 0, sizeof(b.id_hex));
	seal_key_finish(&b);
	assert_string_equal(a.id_hex, b.id_hex);
	assert_int_equal(strlen(a.id_hex), 8);
	assert_int_equal(strspn(a.id_hex, "0123456789abcdef"), 8);
	seal_key_generate(&b);
	assert_string_not_equal(a.id_hex, b.id_hex);
}

static void test_ring_files(void **state)
{
	(void)state;
	char path[128], bad[128];
	struct seal_ring made, read, two;
	struct stat st;
	path_of("ring.key", path, sizeof(path));
	assert_int_equal(seal_ring_read(path, &read), CAS_ENOTFOUND);
	assert_int_equal(seal_ring_create(path, &made), 0);
	assert_int_equal(made.n, 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(seal_ring_create(path, &two), CAS_ECONFLICT);
	assert_int_equal(seal_ring_read(path, &read), 0);
	assert_int_equal(read.n, 1);
	assert_memory_equal(read.keys[0].key, made.keys[0].key, SEAL_KEY_BYTES);
	/* a second key in front: the first seals, both are kept */
	ring_of(&two, 1);
	assert_int_equal(seal_ring_add(&read, &two.keys[0], 1), 0);
	assert_int_equal(seal_ring_add(&read, &two.keys[0], 1), 0); /* not doubled */
	assert_int_equal(seal_ring_write(path, &read), 0);
	assert_int_equal(seal_ring_read(path, &made), 0);
	assert_int_equal(made.n, 2);
	assert_string_equal(made.keys[0].id_hex, two.keys[0].id_hex);
	assert_int_equal(seal_ring_remove(&made, two.keys[0].id_hex), 0);
	assert_int_equal(made.n, 1);
	assert_int_equal(seal_ring_find(&made, two.keys[0].id_hex), -1);
	/* a file that is not a key ring */
	path_of("bad.key", bad, sizeof(bad));
	FILE *f = fopen(bad, "w");
	assert_non_null(f);
	fputs("# nothing\ned25519-secret:AAAA\n", f);
	fclose(f);
	assert_int_equal(seal_ring_read(bad, &read), CAS_EINVAL);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct seal_ring r;
	char ad[SEAL_AD_MAX], *s, *back;
	unsigned char *b, *plain;
	size_t n, pn;
	ring_of(&r, 1);
	seal_set_ring(&r);
	seal_ad(ad, "dossier_events", "detail", 42);
	assert_string_equal(ad, "dossier_events.detail:42");
	const char *text = "Note confidentielle : dettes de loyer, situation à suivre.";
	assert_int_equal(seal_text(text, ad, &s), 0);
	assert_true(seal_is_sealed_text(s));
	assert_null(strstr(s, "loyer"));
	char id[SEAL_ID_HEX];
	assert_int_equal(seal_text_key_id(s, id), 0);
	assert_string_equal(id, r.keys[0].id_hex);
	assert_int_equal(seal_open_text(s, ad, &back), 0);
	assert_string_equal(back, text);
	free(back);
	free(s);
	/* binary, with NUL bytes, and the empty value */
	const unsigned char bin[] = {0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x00, 0x01};
	assert_int_equal(seal_bytes(bin, sizeof(bin), ad, &b, &n), 0);
	assert_int_equal(n, sizeof(bin) + SEAL_OVERHEAD);
	assert_true(seal_is_sealed(b, n));
	assert_int_equal(seal_open_bytes(b, n, ad, &plain, &pn), 0);
	assert_int_equal(pn, sizeof(bin));
	assert_memory_equal(plain, bin, sizeof(bin));
	free(plain);
	free(b);
	assert_int_equal(seal_text("", ad, &s), 0);
	assert_int_equal(seal_open_text(s, ad, &back), 0);
	assert_string_equal(back, "");
	free(back);
	free(s);
	/* two seals of one value differ (random nonce) */
	char *s1, *s2;
	assert_int_equal(seal_text(text, ad, &s1), 0);
	assert_int_equal(seal_text(text, ad, &s2), 0);
	assert_string_not_equal(s1, s2);
	free(s1);
	free(s2);
}

static void test_wrong_key(void **state)
{
	(void)state;
	struct seal_ring r;
	char ad[SEAL_AD_MAX], *s, *back = NULL;
	ring_of(&r, 2);
	seal_ad(ad, "payees", "iban", 7);
	use_key(&r.keys[0]);
	assert_int_equal(seal_text("FR7630006000011234567890189", ad, &s), 0);
	/* another key: its id is not the value's */
	use_key(&r.keys[1]);
	assert_int_equal(seal_open_text(s, ad, &back), CAS_ENOTFOUND);
	assert_null(back);
	/* other bytes under the same id: refused, never garbage */
	struct seal_key forged = r.keys[1];
	memcpy(forged.id, r.keys[0].id, SEAL_ID_BYTES);
	memcpy(forged.id_hex, r.keys[0].id_hex, SEAL_ID_HEX);
	use_key(&forged);
	assert_int_equal(seal_open_text(s, ad, &back), CAS_EAUTH);
	assert_null(back);
	assert_non_null(strstr(seal_strerror(CAS_EAUTH), "mauvaise clé"));
	/* no key at all */
	seal_unload();
	assert_int_equal(seal_open_text(s, ad, &back), CAS_EIO);
	assert_int_equal(seal_text("x", ad, &back), CAS_EIO);
	assert_false(seal_ready());
	free(s);
}

static void test_moved_row(void **state)
{
	(void)state;
	struct seal_ring r;
	char ad[SEAL_AD_MAX], other[SEAL_AD_MAX], *s, *back = NULL;
	ring_of(&r, 1);
	seal_set_ring(&r);
	seal_ad(ad, "consultations", "response", 10);
	assert_int_equal(seal_text("{\"quotient_familial\":{\"valeur\":512}}", ad, &s), 0);
	seal_ad(other, "consultations", "response", 11); /* another row */
	assert_int_equal(seal_open_text(s, other, &back), CAS_EAUTH);
	seal_ad(other, "dossier_events", "detail", 10); /* another table */
	assert_int_equal(seal_open_text(s, other, &back), CAS_EAUTH);
	seal_ad(other, "consultations", "parameters", 10); /* another column */
	assert_int_equal(seal_open_text(s, other, &back), CAS_EAUTH);
	assert_null(back);
	free(s);
}

static void test_tampered(void **state)
{
	(void)state;
	struct seal_ring r;
	char ad[SEAL_AD_MAX];
	unsigned char *b, *plain = NULL;
	size_t n, pn;
	ring_of(&r, 1);
	seal_set_ring(&r);
	seal_ad(ad, "documents", "contenu", 3);
	assert_int_equal(seal_bytes("%PDF-1.7 secret", 15, ad, &b, &n), 0);
	for (size_t i = 0; i < n; i++) {
		b[i] ^= 0x20;
		int rc = seal_open_bytes(b, n, ad, &plain, &pn);
		if (i == 0)
			assert_int_equal(rc, CAS_EINVAL); /* version */
		else if (i < SEAL_HEADER)
			assert_int_equal(rc, CAS_ENOTFOUND); /* key id */
		else
			assert_int_equal(rc, CAS_EAUTH); /* nonce, ciphertext, tag */
		assert_null(plain);
		b[i] ^= 0x20;
	}
	assert_int_equal(seal_open_bytes(b, n - 1, ad, &plain, &pn), CAS_EAUTH); /* truncated */
	assert_int_equal(seal_open_bytes(b, SEAL_OVERHEAD - 1, ad, &plain, &pn), CAS_EINVAL);
	free(b);
	/* texts: legacy clear values and damaged base64 */
	char *back = NULL;
	assert_false(seal_is_sealed_text("FR7630006000011234567890189"));
	assert_false(seal_is_sealed_text("sealed:"));
	assert_int_equal(seal_open_text("Une note écrite en clair", ad, &back), CAS_EINVAL);
	char *s;
	assert_int_equal(seal_text("abc", ad, &s), 0);
	s[strlen(s) - 3] = '*';
	assert_int_equal(seal_open_text(s, ad, &back), CAS_EINVAL);
	assert_null(back);
	char id[SEAL_ID_HEX];
	assert_int_equal(seal_text_key_id(s, id), CAS_EINVAL);
	free(s);
}

static void test_rotation_ring(void **state)
{
	(void)state;
	struct seal_ring r, both = {0};
	char ad[SEAL_AD_MAX], *old_v, *new_v, *back, id[SEAL_ID_HEX];
	ring_of(&r, 2); /* keys[0] old, keys[1] new */
	seal_ad(ad, "payees", "iban", 1);
	use_key(&r.keys[0]);
	assert_int_equal(seal_text("FR1420041010050500013M02606", ad, &old_v), 0);
	/* during the rotation: the new key seals, the old one still opens */
	assert_int_equal(seal_ring_add(&both, &r.keys[0], 0), 0);
	assert_int_equal(seal_ring_add(&both, &r.keys[1], 1), 0);
	seal_set_ring(&both);
	assert_int_equal(seal_current_id(id), 0);
	assert_string_equal(id, r.keys[1].id_hex);
	assert_int_equal(seal_open_text(old_v, ad, &back), 0);
	assert_string_equal(back, "FR1420041010050500013M02606");
	assert_int_equal(seal_text(back, ad, &new_v), 0);
	free(back);
	assert_int_equal(seal_text_key_id(new_v, id), 0);
	assert_string_equal(id, r.keys[1].id_hex);
	/* after it: the old key removed, the re-sealed value opens */
	use_key(&r.keys[1]);
	assert_int_equal(seal_open_text(new_v, ad, &back), 0);
	assert_string_equal(back, "FR1420041010050500013M02606");
	free(back);
	assert_int_equal(seal_open_text(old_v, ad, &back), CAS_ENOTFOUND);
	free(old_v);
	free(new_v);
}

/* seal_load follows the file: a new key put first is used within a
 * second; a value under a key the ring lacks makes it look at once. */
static void test_followed_file(void **state)
{
	(void)state;
	char path[128], ad[SEAL_AD_MAX], *v, *back, id[SEAL_ID_HEX];
	struct seal_ring first, other, both;
	path_of("followed.key", path, sizeof(path));
	assert_int_equal(seal_ring_create(path, &first), 0);
	assert_int_equal(seal_load(path), 0);
	seal_ad(ad, "t", "c", 1);
	ring_of(&other, 1);
	use_key(&other.keys[0]);
	assert_int_equal(seal_text("valeur", ad, &v), 0);
	assert_int_equal(seal_load(path), 0);
	assert_int_equal(seal_open_text(v, ad, &back), CAS_ENOTFOUND);
	both = first;
	assert_int_equal(seal_ring_add(&both, &other.keys[0], 1), 0);
	assert_int_equal(seal_ring_write(path, &both), 0);
	assert_int_equal(seal_open_text(v, ad, &back), 0); /* looked at once */
	assert_string_equal(back, "valeur");
	free(back);
	free(v);
	assert_int_equal(seal_current_id(id), 0);
	assert_string_equal(id, other.keys[0].id_hex);
	/* an unreadable file keeps the ring in use */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("# vide\n", f);
	fclose(f);
	struct timespec ts = {1, 100000000};
	nanosleep(&ts, NULL);
	assert_int_equal(seal_current_id(id), 0);
	assert_string_equal(id, other.keys[0].id_hex);
	assert_int_equal(seal_load(path), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_id),        cmocka_unit_test(test_ring_files),
	    cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_moved_row),     cmocka_unit_test(test_tampered),
	    cmocka_unit_test(test_rotation_ring), cmocka_unit_test(test_followed_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
