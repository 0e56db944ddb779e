#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void accepts_text(void **state)
{
	assert_true(valid(""));
	assert_true(valid("plain ASCII ~"));
	assert_true(valid("tab\tnewline\ncr\r"));
	assert_true(valid("Fran\xc3\xa7oise \xc3\x89lo\xc3\xafse")); /* Françoise Éloïse */
	assert_true(valid("\xe2\x82\xac 10"));                       /* € */
	assert_true(valid("\xf0\x9f\x98\x80"));                      /* U+1F600 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));                      /* U+10FFFF */
	assert_true(valid("\xed\x9f\xbf"));                          /* U+D7FF */
	assert_true(valid("\xee\x80\x80"));                          /* U+E000 */
	assert_true(valid("\x7f"));                                  /* DEL is allowed */
	assert_true(valid("\xc2\x80"));                              /* C1 controls allowed */
}

static void rejects_malformed(void **state)
{
	const char *bad[] = {
	    "\x80",             /* lone continuation */
	    "\xc3",             /* truncated */
	    "\xe2\x82",         /* truncated */
	    "\xf0\x9f\x98",     /* truncated */
	    "\xc3\x28",         /* bad continuation */
	    "\xc0\xaf",         /* overlong '/' */
	    "\xc1\xbf",         /* overlong */
	    "\xe0\x80\xaf",     /* overlong */
	    "\xe0\x9f\xbf",     /* overlong U+07FF */
	    "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
	    "\xed\xa0\x80",     /* surrogate U+D800 */
	    "\xed\xbf\xbf",     /* surrogate U+DFFF */
	    "\xf4\x90\x80\x80", /* U+110000 */
	    "\xf5\x80\x80\x80", /* beyond */
	    "\xff",
	    "\xfe",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(valid(bad[i]));
		char ctx[16];
		snprintf(ctx, sizeof(ctx), "ok %s", bad[i]);
		assert_false(valid(ctx));
		assert_int_equal(utf8_valid_prefix(ctx, strlen(ctx)), 3);
	}
}

static void rejects_controls(void **state)
{
	assert_false(utf8_valid("a\0b", 3));
	assert_false(valid("bell\a"));
	assert_false(valid("esc\x1b[31m"));
	assert_false(valid("\x01"));
	assert_false(valid("\x1f"));
	assert_true(utf8_valid("a\0b", 1));
}

static void prefix_offsets(void **state)
{
	const char *s = "\xc3\xa9t\xc3\xa9\xff!";
	assert_int_equal(utf8_valid_prefix(s, strlen(s)), 5);
	assert_int_equal(utf8_valid_prefix(s, 4), 3); /* cut inside é */
	assert_int_equal(utf8_valid_prefix("", 0), 0);
}

static void counts_code_points(void **state)
{
	assert_int_equal(utf8_strlen(""), 0);
	assert_int_equal(utf8_strlen("abc"), 3);
	assert_int_equal(utf8_strlen("\xc3\xa9t\xc3\xa9"), 3);
	assert_int_equal(utf8_strlen("\xe2\x82\xac\xf0\x9f\x98\x80"), 2);
}

static void prefix_by_code_points(void **state)
{
	const char *s = "\xc3\xa9t\xc3\xa9!"; /* été! */
	size_t n = strlen(s);
	assert_int_equal(utf8_prefix(s, n, 0), 0);
	assert_int_equal(utf8_prefix(s, n, 1), 2);
	assert_int_equal(utf8_prefix(s, n, 2), 3);
	assert_int_equal(utf8_prefix(s, n, 3), 5);
	assert_int_equal(utf8_prefix(s, n, 4), 6);
	assert_int_equal(utf8_prefix(s, n, 100), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(accepts_text),       cmocka_unit_test(rejects_malformed),
	    cmocka_unit_test(rejects_controls),   cmocka_unit_test(prefix_offsets),
	    cmocka_unit_test(counts_code_points), cmocka_unit_test(prefix_by_code_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
