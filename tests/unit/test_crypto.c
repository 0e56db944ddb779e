#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/crypto.h"
#include "base/err.h"

static int setup(void **state)
{
	return crypto_init();
}

static void hash_and_verify(void **state)
{
	char h1[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE];
	assert_int_equal(password_hash("correct horse battery", h1), 0);
	assert_int_equal(password_hash("correct horse battery", h2), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_string_not_equal(h1, h2); /* salted */
	assert_int_equal(password_verify(h1, "correct horse battery"), 0);
	assert_int_equal(password_verify(h2, "correct horse battery"), 0);
	assert_int_equal(password_verify(h1, "correct horse batterY"), CAS_EAUTH);
	assert_int_equal(password_verify(h1, ""), CAS_EAUTH);
	assert_int_equal(password_verify("garbage", "x"), CAS_EAUTH);
	assert_int_equal(password_verify(NULL, "x"), CAS_EAUTH);
	assert_int_equal(password_verify(h1, NULL), CAS_EAUTH);
	assert_false(password_needs_rehash(h1));
	assert_true(password_needs_rehash("garbage"));
}

static void utf8_passwords(void **state)
{
	char h[PASSWORD_HASH_SIZE];
	assert_int_equal(password_hash("\xc3\xa9t\xc3\xa9 \xe2\x82\xac", h), 0);
	assert_int_equal(password_verify(h, "\xc3\xa9t\xc3\xa9 \xe2\x82\xac"), 0);
	assert_int_equal(password_verify(h, "ete \xe2\x82\xac"), CAS_EAUTH);
}

static int is_b64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void tokens(void **state)
{
	char t1[RANDOM_TOKEN_SIZE], t2[64];
	random_token(t1, sizeof(t1));
	random_token(t2, sizeof(t2));
	assert_int_equal(strlen(t1), 43);
	assert_int_equal(strlen(t2), 43);
	for (int i = 0; i < 43; i++)
		assert_true(is_b64url(t1[i]) && is_b64url(t2[i]));
	assert_string_not_equal(t1, t2);
}

static void sha256(void **state)
{
	char hex[65];
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void uuids(void **state)
{
	char a[37], b[37];
	uuid_v4(a);
	uuid_v4(b);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(a[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", a[i]));
	}
	assert_int_equal(a[14], '4');           /* version 4 */
	assert_non_null(strchr("89ab", a[19])); /* variant 10 */
}

static void constant_time_equality(void **state)
{
	assert_true(ct_streq("", ""));
	assert_true(ct_streq("token-123", "token-123"));
	assert_false(ct_streq("token-123", "token-124"));
	assert_false(ct_streq("token-123", "token-12"));
	assert_false(ct_streq("", "a"));
	assert_false(ct_streq(NULL, "a"));
	assert_false(ct_streq(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hash_and_verify), cmocka_unit_test(utf8_passwords),
	    cmocka_unit_test(tokens),          cmocka_unit_test(sha256),
	    cmocka_unit_test(uuids),           cmocka_unit_test(constant_time_equality),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
