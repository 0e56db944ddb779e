#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"

static int64_t parsed(const char *s)
{
	int64_t t = -1;
	assert_int_equal(clock_parse(s, &t), 0);
	return t;
}

static void parses_formats(void **state)
{
	assert_int_equal(parsed("1970-01-01"), 0);
	assert_int_equal(parsed("2024-02-29"), 1709164800);
	assert_int_equal(parsed("2024-02-29T12:34:56Z"), 1709210096);
	assert_int_equal(parsed("2024-02-29T12:34:56"), 1709210096);
	assert_int_equal(parsed("2024-02-29 12:34:56"), 1709210096);
	assert_int_equal(parsed("2024-02-29t12:34:56z"), 1709210096);
	assert_int_equal(parsed("2024-02-29T12:34:56.789Z"), 1709210096);
	assert_int_equal(parsed("2024-02-29T14:34:56+02:00"), 1709210096);
	assert_int_equal(parsed("2024-02-29T10:04:56-02:30"), 1709210096);
	assert_int_equal(parsed("1709210096"), 1709210096);
	assert_int_equal(parsed("-86400"), -86400);
	assert_int_equal(parsed("1969-12-31T23:59:59Z"), -1);
	assert_int_equal(parsed("2100-03-01"), 4107542400);
}

static void rejects_garbage(void **state)
{
	const char *bad[] = {"",
	                     "now",
	                     "2023-02-29",
	                     "2024-13-01",
	                     "2024-00-10",
	                     "2024-04-31",
	                     "2024-1-01",
	                     "2024-01-01T",
	                     "2024-01-01T24:00:00Z",
	                     "2024-01-01T12:60:00Z",
	                     "2024-01-01T12:00Z",
	                     "2024-01-01T12:00:00.Z",
	                     "2024-01-01T12:00:00+0200",
	                     "2024-01-01T12:00:00Zjunk",
	                     "2024-01-01junk",
	                     "12abc",
	                     "99999999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t t;
		assert_int_equal(clock_parse(bad[i], &t), CAS_EINVAL);
	}
	int64_t t;
	assert_int_equal(clock_parse(NULL, &t), CAS_EINVAL);
}

static void calendar(void **state)
{
	int y, m, d;
	clock_ymd(0, &y, &m, &d);
	assert_true(y == 1970 && m == 1 && d == 1);
	clock_ymd(1709210096, &y, &m, &d);
	assert_true(y == 2024 && m == 2 && d == 29);
	clock_ymd(-1, &y, &m, &d);
	assert_true(y == 1969 && m == 12 && d == 31);
	clock_ymd(clock_make(2000, 3, 1, 0, 0, 0) - 1, &y, &m, &d);
	assert_true(y == 2000 && m == 2 && d == 29);
	assert_int_equal(clock_make(2024, 2, 29, 12, 34, 56), 1709210096);
	/* every day of four centuries round-trips */
	for (int64_t t = clock_make(1900, 1, 1, 0, 0, 0); t < clock_make(2300, 1, 1, 0, 0, 0);
	     t += 86400) {
		clock_ymd(t + 3600, &y, &m, &d);
		assert_int_equal(clock_make(y, m, d, 0, 0, 0), t);
	}
}

static void formats_rfc3339(void **state)
{
	char out[32];
	clock_rfc3339(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	clock_rfc3339(1709210096, out);
	assert_string_equal(out, "2024-02-29T12:34:56Z");
	clock_rfc3339(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	int64_t t;
	assert_int_equal(clock_parse(out, &t), 0);
	assert_int_equal(t, -1);
}

static void override_and_test_mode(void **state)
{
	int64_t real = (int64_t)time(NULL);
	assert_true(llabs(clock_now() - real) <= 2);
	assert_true(llabs(clock_real_ms() / 1000 - real) <= 2);
	clock_set_override(1000);
	assert_int_equal(clock_now(), 1000);
	clock_clear_override();
	assert_true(llabs(clock_now() - real) <= 2);

	setenv("CASSIS_NOW", "2030-06-15T08:00:00Z", 1);
	assert_true(llabs(clock_now() - real) <= 2); /* not in test mode: ignored */
	assert_int_equal(clock_set_test_mode(1), 0);
	assert_int_equal(clock_now(), clock_make(2030, 6, 15, 8, 0, 0));
	clock_set_override(5);
	assert_int_equal(clock_now(), 5); /* the override wins */
	clock_clear_override();
	assert_int_equal(clock_now(), clock_make(2030, 6, 15, 8, 0, 0));
	setenv("CASSIS_NOW", "1234567890", 1);
	assert_int_equal(clock_set_test_mode(1), 0);
	assert_int_equal(clock_now(), 1234567890);
	setenv("CASSIS_NOW", "tomorrow", 1);
	assert_int_equal(clock_set_test_mode(1), CAS_EINVAL);
	assert_true(llabs(clock_now() - real) <= 2);
	unsetenv("CASSIS_NOW");
	assert_int_equal(clock_set_test_mode(1), 0);
	assert_true(llabs(clock_now() - real) <= 2);
	assert_int_equal(clock_set_test_mode(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_formats),
	    cmocka_unit_test(rejects_garbage),
	    cmocka_unit_test(calendar),
	    cmocka_unit_test(formats_rfc3339),
	    cmocka_unit_test(override_and_test_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
