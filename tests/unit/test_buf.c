#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

static void empty_buffer(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.err, 0);
	char *s = buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	buf_free(&b);
}

static void appends_and_grows(void **state)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(buf_cstr(&b)), 10000);
	assert_int_equal(buf_putc(&b, '!'), 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 7, "x"), 0);
	assert_string_equal(buf_cstr(&b) + 10000, "!7-x");
	assert_int_equal(buf_append(&b, "\0z", 2), 0);
	assert_int_equal(b.len, 10006);
	buf_free(&b);
}

static void max_size_is_exact(void **state)
{
	struct buf b;
	buf_init(&b, 5);
	assert_int_equal(buf_puts(&b, "abcde"), 0);
	assert_string_equal(buf_cstr(&b), "abcde");
	assert_int_equal(buf_putc(&b, 'f'), CAS_ETOOBIG);
	assert_int_equal(b.err, CAS_ETOOBIG);
	assert_string_equal(buf_cstr(&b), "abcde");
	buf_free(&b);
}

static void error_is_sticky(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "1234"), 0);
	assert_int_equal(buf_puts(&b, "56789"), CAS_ETOOBIG);
	/* later appends that would fit still fail: the content stays consistent */
	assert_int_equal(buf_puts(&b, "5"), CAS_ETOOBIG);
	assert_int_equal(buf_printf(&b, "%d", 1), CAS_ETOOBIG);
	assert_int_equal(buf_append(&b, "", 0), CAS_ETOOBIG);
	assert_string_equal(buf_cstr(&b), "1234");
	assert_int_equal(b.err, CAS_ETOOBIG);
	buf_reset(&b);
	assert_int_equal(b.err, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	buf_free(&b);
}

static void printf_over_max(void **state)
{
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%s", "0123456789A"), CAS_ETOOBIG);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

static void huge_append_does_not_overflow(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "x"), 0);
	assert_int_equal(buf_append(&b, "y", SIZE_MAX), CAS_ETOOBIG);
	assert_int_equal(b.len, 1);
	buf_free(&b);
}

static void steal_takes_ownership(void **state)
{
	struct buf b;
	buf_init(&b, 100);
	buf_puts(&b, "hello");
	char *s = buf_steal(&b);
	assert_string_equal(s, "hello");
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	free(s);
	buf_puts(&b, "again");
	assert_string_equal(buf_cstr(&b), "again");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_buffer),
	    cmocka_unit_test(appends_and_grows),
	    cmocka_unit_test(max_size_is_exact),
	    cmocka_unit_test(error_is_sticky),
	    cmocka_unit_test(printf_over_max),
	    cmocka_unit_test(huge_append_does_not_overflow),
	    cmocka_unit_test(steal_takes_ownership),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
