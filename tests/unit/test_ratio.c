/* Exact fractions: arithmetic, overflow, rounding modes, text forms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "base/err.h"
#include "domain/ratio.h"

static struct ratio R(const char *s) {
	struct ratio r = {0, 0};
	assert_int_equal(ratio_parse(s, &r), 0);
	return r;
}

static void
assert_ratio(struct ratio r, int64_t num, int64_t den)
{
	assert_int_equal(r.num, num);
	assert_int_equal(r.den, den);
}

static void make_reduces(void **state)
{
	struct ratio r;
	assert_int_equal(ratio_make(6, -4, &r), 0);
	assert_ratio(r, -3, 2);
	assert_int_equal(ratio_make(0, -7, &r), 0);
	assert_ratio(r, 0, 1);
	assert_int_equal(ratio_make(1, 0, &r), CAS_EINVAL);
	assert_int_equal(ratio_make(INT64_MIN, 1, &r), CAS_ETOOBIG);
	assert_int_equal(ratio_make(INT64_MIN, 2, &r), 0); /* reduces to -2^62 */
	assert_ratio(r, INT64_MIN / 2, 1);
	assert_ratio(ratio_cents(150), 3, 2);
	assert_ratio(ratio_cents(-5), -1, 20);
}

static void arithmetic(void **state)
{
	struct ratio r;
	assert_int_equal(ratio_add(R("1/3"), R("1/6"), &r), 0);
	assert_ratio(r, 1, 2);
	assert_int_equal(ratio_sub(R("1/3"), R("1/2"), &r), 0);
	assert_ratio(r, -1, 6);
	assert_int_equal(ratio_mul(R("2.5"), R("-0.4"), &r), 0);
	assert_ratio(r, -1, 1);
	assert_int_equal(ratio_div(R("2650"), R("3"), &r), 0);
	assert_ratio(r, 2650, 3);
	assert_int_equal(ratio_div(R("1"), R("0"), &r), CAS_EINVAL);
	/* aliasing the output with an operand is fine (values are copied) */
	r = R("1/2");
	assert_int_equal(ratio_add(r, r, &r), 0);
	assert_ratio(r, 1, 1);
}

static void overflow_is_an_error(void **state)
{
	struct ratio big = ratio_int(INT64_MAX), r = {7, 7};
	assert_int_equal(ratio_add(big, ratio_int(1), &r), CAS_ETOOBIG);
	assert_int_equal(ratio_mul(big, ratio_int(2), &r), CAS_ETOOBIG);
	assert_int_equal(ratio_sub(ratio_int(-INT64_MAX), ratio_int(1), &r), CAS_ETOOBIG);
	assert_ratio(r, 7, 7); /* untouched */
	/* denominators that do not fit once multiplied */
	struct ratio a = {1, INT64_MAX}, b = {1, INT64_MAX - 1};
	assert_int_equal(ratio_mul(a, b, &r), CAS_ETOOBIG);
	/* but huge intermediates that reduce are fine */
	assert_int_equal(ratio_div(big, big, &r), 0);
	assert_ratio(r, 1, 1);
	struct ratio bad = {1, 0};
	assert_int_equal(ratio_add(bad, big, &r), CAS_EINVAL);
}

static void compare(void **state)
{
	assert_true(ratio_cmp(R("1/3"), R("0.333333333333333333")) > 0);
	assert_true(ratio_cmp(R("-1/2"), R("-0.5")) == 0);
	assert_true(ratio_cmp((struct ratio){INT64_MAX, 2}, (struct ratio){INT64_MAX - 2, 2}) > 0);
	assert_true(ratio_cmp((struct ratio){INT64_MAX, INT64_MAX - 1}, ratio_int(1)) > 0);
	assert_int_equal(ratio_sign(R("-0.01")), -1);
	assert_int_equal(ratio_sign(R("0")), 0);
}

static int64_t scaled(const char *s, int scale, enum ratio_mode mode)
{
	int64_t v = 0;
	assert_int_equal(ratio_to_scaled(R(s), scale, mode, &v), 0);
	return v;
}

static void rounding_modes(void **state)
{
	assert_int_equal(scaled("2.345", 2, RATIO_HALF_UP), 235);
	assert_int_equal(scaled("-2.345", 2, RATIO_HALF_UP), -235);
	assert_int_equal(scaled("2.344999", 2, RATIO_HALF_UP), 234);
	assert_int_equal(scaled("2.349", 2, RATIO_DOWN), 234);
	assert_int_equal(scaled("-2.349", 2, RATIO_DOWN), -234);
	assert_int_equal(scaled("2.341", 2, RATIO_UP), 235);
	assert_int_equal(scaled("-2.341", 2, RATIO_UP), -235);
	assert_int_equal(scaled("2.345", 2, RATIO_HALF_EVEN), 234);
	assert_int_equal(scaled("2.355", 2, RATIO_HALF_EVEN), 236);
	assert_int_equal(scaled("-2.345", 2, RATIO_HALF_EVEN), -234);
	assert_int_equal(scaled("2.3451", 2, RATIO_HALF_EVEN), 235);
	assert_int_equal(scaled("-2.341", 2, RATIO_FLOOR), -235);
	assert_int_equal(scaled("-2.349", 2, RATIO_CEIL), -234);
	assert_int_equal(scaled("2650/3", 2, RATIO_HALF_UP), 88333);
	assert_int_equal(scaled("2650/3", 0, RATIO_HALF_UP), 883);
	assert_int_equal(scaled("1/2", 0, RATIO_HALF_UP), 1);
	assert_int_equal(scaled("1/2", 0, RATIO_HALF_EVEN), 0);
	assert_int_equal(scaled("5", 2, RATIO_UP), 500);
	struct ratio r;
	assert_int_equal(ratio_round(R("2650/3"), 2, RATIO_HALF_UP, &r), 0);
	assert_ratio(r, 88333, 100);
	assert_int_equal(ratio_round(R("1"), 19, RATIO_HALF_UP, &r), CAS_EINVAL);
	assert_int_equal(ratio_round(R("1"), 2, (enum ratio_mode)42, &r), CAS_EINVAL);
	int64_t v;
	assert_int_equal(ratio_to_scaled(ratio_int(INT64_MAX / 10), 2, RATIO_DOWN, &v),
	                 CAS_ETOOBIG);
}

static void parse_forms(void **state)
{
	struct ratio r = {5, 5};
	assert_ratio(R("12"), 12, 1);
	assert_ratio(R("+7"), 7, 1);
	assert_ratio(R("-3.5"), -7, 2);
	assert_ratio(R("0,5"), 1, 2);
	assert_ratio(R("12.345"), 2469, 200);
	assert_ratio(R("-2650/3"), -2650, 3);
	assert_ratio(R("4/6"), 2, 3);
	assert_ratio(R("0.000000000000000001"), 1, INT64_C(1000000000000000000));
	const char *bad[] = {"",    "-",    ".5",    "5.",  "1e3",   " 1",      "1 ",
	                     "1/0", "1/-2", "1.2.3", "abc", "1/2/3", "1,234.5", "--1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ratio_parse(bad[i], &r), CAS_EINVAL);
	assert_int_equal(ratio_parse("0.0000000000000000001", &r), CAS_ETOOBIG);
	assert_int_equal(ratio_parse("99999999999999999999", &r), CAS_ETOOBIG);
	assert_int_equal(ratio_parse("9223372036854775808", &r), CAS_ETOOBIG);
	assert_int_equal(ratio_parse(NULL, &r), CAS_EINVAL);
	assert_ratio(r, 5, 5);
}

static void format_forms(void **state)
{
	char buf[RATIO_FMT_SIZE];
	assert_string_equal(ratio_format(R("2650/3"), 2, buf), "883.33");
	assert_string_equal(ratio_format(R("-1/3"), 2, buf), "-0.33");
	assert_string_equal(ratio_format(R("-1/1000"), 2, buf), "0.00");
	assert_string_equal(ratio_format(R("-0.005"), 2, buf), "-0.01");
	assert_string_equal(ratio_format(R("5"), 0, buf), "5");
	assert_string_equal(ratio_format(R("0.5"), 0, buf), "1");
	assert_string_equal(ratio_format(R("12.3"), 3, buf), "12.300");
	assert_string_equal(ratio_format(ratio_int(-INT64_MAX), 18, buf),
	                    "-9223372036854775807.000000000000000000");
	assert_string_equal(ratio_format_exact(R("2650/3"), buf), "2650/3");
	assert_string_equal(ratio_format_exact(R("391.30"), buf), "391.3");
	assert_string_equal(ratio_format_exact(R("-4"), buf), "-4");
	assert_string_equal(ratio_format_exact(R("3/4"), buf), "0.75");
	assert_string_equal(ratio_format_exact(R("1/1024"), buf), "0.0009765625");
	/* exact text reads back to the same value */
	const char *samples[] = {"2650/3", "1/7", "-22/7", "0.001", "123456789.123456789"};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		struct ratio a = R(samples[i]);
		ratio_format_exact(a, buf);
		assert_int_equal(ratio_cmp(a, R(buf)), 0);
	}
}

static void from_json(void **state)
{
	struct ratio r;
	json_t *v = json_real(0.1);
	assert_int_equal(ratio_from_json(v, &r), 0);
	assert_ratio(r, 1, 10);
	json_decref(v);
	v = json_integer(42);
	assert_int_equal(ratio_from_json(v, &r), 0);
	assert_ratio(r, 42, 1);
	json_decref(v);
	v = json_string("883.33");
	assert_int_equal(ratio_from_json(v, &r), 0);
	assert_ratio(r, 88333, 100);
	json_decref(v);
	v = json_true();
	assert_int_equal(ratio_from_json(v, &r), CAS_EINVAL);
	json_decref(v);
	v = json_real(1e30);
	assert_int_equal(ratio_from_json(v, &r), CAS_EINVAL);
	json_decref(v);
	enum ratio_mode m;
	assert_int_equal(ratio_mode_parse("half_even", &m), 0);
	assert_int_equal(m, RATIO_HALF_EVEN);
	assert_int_equal(ratio_mode_parse("tronque", &m), 0);
	assert_int_equal(m, RATIO_DOWN);
	assert_int_equal(ratio_mode_parse("nearest", &m), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(make_reduces),         cmocka_unit_test(arithmetic),
	    cmocka_unit_test(overflow_is_an_error), cmocka_unit_test(compare),
	    cmocka_unit_test(rounding_modes),       cmocka_unit_test(parse_forms),
	    cmocka_unit_test(format_forms),         cmocka_unit_test(from_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
