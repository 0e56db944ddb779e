#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/utf8.h"

static void next_decodes(void **state)
{
	const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"; /* a é € 😀 */
	size_t i = 0;

	assert_int_equal(utf8_next(s, &i), 'a');
	assert_int_equal(i, 1);
	assert_int_equal(utf8_next(s, &i), 0xe9);
	assert_int_equal(i, 3);
	assert_int_equal(utf8_next(s, &i), 0x20ac);
	assert_int_equal(i, 6);
	assert_int_equal(utf8_next(s, &i), 0x1f600);
	assert_int_equal(i, 10);
	assert_int_equal(utf8_next(s, &i), 0);
	assert_int_equal(i, 10);
}

static void next_rejects(void **state)
{
	const char *bad[] = {
	    "\x80",             /* lone continuation */
	    "\xc0\xaf",         /* overlong '/' */
	    "\xc1\xbf",         /* overlong */
	    "\xe0\x80\xaf",     /* overlong */
	    "\xed\xa0\x80",     /* surrogate */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\xf5\x80\x80\x80", /* invalid lead */
	    "\xc3",             /* truncated */
	    "\xe2\x82",         /* truncated */
	    "\xc3(",            /* bad continuation */
	};

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		size_t i = 0;

		assert_int_equal(utf8_next(bad[k], &i), -1);
		assert_int_equal(i, 1);
		assert_false(utf8_valid(bad[k], strlen(bad[k])));
	}
}

static void encode_round_trip(void **state)
{
	const long cps[] = {'A', 0xe9, 0x7ff, 0x800, 0x202f, 0xffff, 0x10000, 0x10ffff};
	char out[5];

	for (size_t k = 0; k < sizeof(cps) / sizeof(cps[0]); k++) {
		size_t n = utf8_encode(cps[k], out);
		size_t i = 0;

		assert_true(n >= 1 && n <= 4);
		out[n] = '\0';
		assert_int_equal(utf8_next(out, &i), cps[k]);
		assert_int_equal(i, n);
	}
	assert_int_equal(utf8_encode(0xd800, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(-1, out), 0);
}

static void spaces(void **state)
{
	assert_true(utf8_is_space(' '));
	assert_true(utf8_is_space('\t'));
	assert_true(utf8_is_space(0xa0));
	assert_true(utf8_is_space(0x202f));
	assert_true(utf8_is_space(0x2009));
	assert_false(utf8_is_space('a'));
	assert_false(utf8_is_space('\n'));
	assert_false(utf8_is_space(0x200b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(next_decodes),
	    cmocka_unit_test(next_rejects),
	    cmocka_unit_test(encode_round_trip),
	    cmocka_unit_test(spaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
