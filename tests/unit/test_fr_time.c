/* French date formatting in Paris time, around the summer-time changes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/clock.h"
#include "base/fr_time.h"

static void winter_and_summer(void **state)
{
	char out[FR_DATETIME_SIZE];
	fr_datetime(clock_make(2025, 1, 15, 9, 5, 0), out);
	assert_string_equal(out, "15/01/2025 10:05");
	fr_datetime(clock_make(2025, 7, 14, 22, 30, 0), out);
	assert_string_equal(out, "15/07/2025 00:30");
	fr_date(clock_make(2025, 12, 31, 23, 0, 0), out);
	assert_string_equal(out, "01/01/2026");
	fr_hour(clock_make(2025, 7, 14, 8, 7, 0), out);
	assert_string_equal(out, "10:07");
}

/* Late in the evening UTC it is already tomorrow in Paris: "today" for a
 * birth date or an entry date is the Paris date. */
static void paris_date_after_utc_midnight(void **state)
{
	int y, m, d;
	paris_ymd(clock_make(2026, 3, 1, 23, 30, 0), &y, &m, &d); /* UTC+1 */
	assert_int_equal(y * 10000 + m * 100 + d, 20260302);
	paris_ymd(clock_make(2026, 7, 14, 22, 30, 0), &y, &m, &d); /* UTC+2 */
	assert_int_equal(y * 10000 + m * 100 + d, 20260715);
	paris_ymd(clock_make(2026, 12, 31, 22, 59, 59), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20261231);
	paris_ymd(clock_make(2026, 12, 31, 23, 0, 0), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20270101);
	char iso[11];
	paris_date_iso(clock_make(2026, 3, 1, 23, 30, 0), iso);
	assert_string_equal(iso, "2026-03-02");
}

static void changes_at_one_utc_on_last_sundays(void **state)
{
	/* 2025: summer time from Sunday 30 March to Sunday 26 October. */
	assert_int_equal(paris_offset(clock_make(2025, 3, 30, 0, 59, 59)), 3600);
	assert_int_equal(paris_offset(clock_make(2025, 3, 30, 1, 0, 0)), 7200);
	assert_int_equal(paris_offset(clock_make(2025, 10, 26, 0, 59, 59)), 7200);
	assert_int_equal(paris_offset(clock_make(2025, 10, 26, 1, 0, 0)), 3600);
	/* 2024: 31 March and 27 October. */
	assert_int_equal(paris_offset(clock_make(2024, 3, 31, 1, 0, 0)), 7200);
	assert_int_equal(paris_offset(clock_make(2024, 3, 30, 12, 0, 0)), 3600);
	assert_int_equal(paris_offset(clock_make(2024, 10, 27, 0, 30, 0)), 7200);
	assert_int_equal(paris_offset(clock_make(2024, 10, 27, 1, 30, 0)), 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(winter_and_summer),
	    cmocka_unit_test(changes_at_one_utc_on_last_sundays),
	    cmocka_unit_test(paris_date_after_utc_midnight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
