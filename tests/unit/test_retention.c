/* Retention arithmetic (domain/retention.h): months added on calendar
 * dates (month ends, leap years), purge dates by outcome, the State API
 * answers' shorter clock, the allowed ranges, and the anonymous categories
 * of the statistics row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/retention.h"

static void plus(const char *from, int months, const char *expect)
{
	char out[11];
	assert_int_equal(retention_add_months(from, months, out), 0);
	assert_string_equal(out, expect);
}

static void months_on_the_calendar(void **state)
{
	(void)state;
	plus("2024-03-15", 24, "2026-03-15");
	plus("2024-11-30", 3, "2025-02-28");
	plus("2024-12-31", 1, "2025-01-31");
	plus("2025-06-01", 0, "2025-06-01");
	plus("2025-06-01", 120, "2035-06-01");
	plus("2026-03-15", -24, "2024-03-15");
	plus("2026-01-10", -1, "2025-12-10");
}

static void month_ends_are_clamped(void **state)
{
	(void)state;
	plus("2024-01-31", 1, "2024-02-29"); /* leap year */
	plus("2023-01-31", 1, "2023-02-28");
	plus("2024-05-31", 1, "2024-06-30");
	plus("2024-08-31", 1, "2024-09-30");
	plus("2024-03-31", -1, "2024-02-29");
	plus("2025-03-30", -1, "2025-02-28");
}

static void leap_days(void **state)
{
	(void)state;
	plus("2024-02-29", 12, "2025-02-28");
	plus("2024-02-29", 24, "2026-02-28");
	plus("2024-02-29", 48, "2028-02-29");
	plus("2028-02-29", -48, "2024-02-29");
	plus("1900-01-29", 1, "1900-02-28"); /* 1900: not a leap year */
	plus("2000-01-29", 1, "2000-02-29"); /* 2000: a leap year */
	plus("2100-01-31", 1, "2100-02-28");
}

static void invalid_input(void **state)
{
	(void)state;
	char out[11] = "x";
	assert_int_equal(retention_add_months("2024-02-30", 1, out), CAS_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(retention_add_months("2024-2-01", 1, out), CAS_EINVAL);
	assert_int_equal(retention_add_months(NULL, 1, out), CAS_EINVAL);
	assert_int_equal(retention_add_months("2024-01-01", 1201, out), CAS_EINVAL);
	assert_int_equal(retention_add_months("0001-01-01", -1, out), CAS_EINVAL);
	assert_int_equal(retention_add_months("9999-12-01", 1, out), CAS_EINVAL);
}

static const struct retention_rules rules = {24, 12, 0, 36};

static void purge_dates_by_outcome(void **state)
{
	(void)state;
	char out[11];
	assert_int_equal(retention_purge_date(&rules, "2025-01-31", "accorde", out), 0);
	assert_string_equal(out, "2027-01-31");
	assert_int_equal(retention_purge_date(&rules, "2025-01-31", "refuse", out), 0);
	assert_string_equal(out, "2026-01-31");
	assert_int_equal(retention_purge_date(&rules, "2024-02-29", "sans_suite", out), 0);
	assert_string_equal(out, "2025-02-28");
	assert_int_equal(retention_purge_date(&rules, "2024-02-29", "ajourne", out), 0);
	assert_string_equal(out, "2025-02-28");
	assert_int_equal(retention_purge_date(&rules, "2024-02-29", NULL, out), 0);
	assert_string_equal(out, "2025-02-28"); /* closed without a decision */
	assert_int_equal(retention_is_granted("accorde"), 1);
	assert_int_equal(retention_is_granted("refuse"), 0);
	assert_int_equal(retention_is_granted(NULL), 0);
	assert_int_equal(retention_months(&rules, "accorde"), 24);
	assert_int_equal(retention_months(&rules, "sans_suite"), 12);
}

static void api_answers_never_outlive_the_dossier(void **state)
{
	(void)state;
	char out[11];
	struct retention_rules r = rules;
	assert_int_equal(retention_bodies_date(&r, "2025-03-31", "accorde", out), 0);
	assert_string_equal(out, "2027-03-31"); /* 0: as long as the dossier */
	r.corps_api = 6;
	assert_int_equal(retention_bodies_date(&r, "2025-03-31", "accorde", out), 0);
	assert_string_equal(out, "2025-09-30");
	r.corps_api = 18; /* longer than the refusal's 12: the dossier's date */
	assert_int_equal(retention_bodies_date(&r, "2025-03-31", "refuse", out), 0);
	assert_string_equal(out, "2026-03-31");
}

static void due_and_days(void **state)
{
	(void)state;
	assert_int_equal(retention_due("2026-03-15", "2026-03-15"), 1);
	assert_int_equal(retention_due("2026-03-15", "2026-03-14"), 0);
	assert_int_equal(retention_due("2026-03-15", "2027-01-01"), 1);
	assert_int_equal(retention_due("", "2027-01-01"), 0);
	assert_int_equal(retention_due(NULL, "2027-01-01"), 0);
	assert_int_equal(retention_days_until("2026-03-15", "2026-03-15"), 0);
	assert_int_equal(retention_days_until("2024-03-01", "2024-02-28"), 2); /* leap */
	assert_int_equal(retention_days_until("2025-03-01", "2025-02-28"), 1);
	assert_int_equal(retention_days_until("2026-01-01", "2025-01-01"), 365);
	assert_int_equal(retention_days_until("2025-01-01", "2026-01-01"), -365);
	assert_int_equal(retention_days_until("2025-13-01", "2026-01-01"), 0);
}

static void ranges(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(retention_check(RS_ACCORDE, 24, NULL), 0);
	assert_int_equal(retention_check(RS_ACCORDE, 11, &why), CAS_EINVAL);
	assert_non_null(strstr(why, "12 à 60"));
	assert_int_equal(retention_check(RS_ACCORDE, 61, NULL), CAS_EINVAL);
	assert_int_equal(retention_check(RS_REFUS, 3, NULL), 0);
	assert_int_equal(retention_check(RS_REFUS, 2, NULL), CAS_EINVAL);
	assert_int_equal(retention_check(RS_CORPS_API, 0, NULL), 0);
	assert_int_equal(retention_check(RS_CORPS_API, 1, NULL), 0);
	assert_int_equal(retention_check(RS_CORPS_API, -1, NULL), CAS_EINVAL);
	assert_int_equal(retention_check(RS_TRACES_API, 36, NULL), 0);
	assert_int_equal(retention_check(RS_TRACES_API, 35, &why), CAS_EINVAL);
	assert_non_null(strstr(why, "36 mois"));
	assert_int_equal(retention_check(RS_ACCES, 6, NULL), 0);
	assert_int_equal(retention_check(RS_ACCES, 12, NULL), 0);
	assert_int_equal(retention_check(RS_ACCES, 13, NULL), CAS_EINVAL);
	assert_int_equal(retention_check(RS_ACCES, 5, NULL), CAS_EINVAL);
}

static void statistics_categories(void **state)
{
	(void)state;
	assert_string_equal(retention_qf_band(-1), "");
	assert_string_equal(retention_qf_band(0), "0-399");
	assert_string_equal(retention_qf_band(399), "0-399");
	assert_string_equal(retention_qf_band(400), "400-599");
	assert_string_equal(retention_qf_band(799), "600-799");
	assert_string_equal(retention_qf_band(800), "800-999");
	assert_string_equal(retention_qf_band(1199), "1000-1199");
	assert_string_equal(retention_qf_band(1200), "1200+");
	assert_string_equal(retention_household_type(0, 0, 0), "personne_seule");
	assert_string_equal(retention_household_type(1, 0, 0), "couple_sans_enfant");
	assert_string_equal(retention_household_type(0, 2, 0), "famille_monoparentale");
	assert_string_equal(retention_household_type(1, 3, 0), "couple_avec_enfants");
	assert_string_equal(retention_household_type(0, 1, 1), "autre");
	assert_string_equal(retention_household_type(2, 0, 0), "autre");
	assert_string_equal(retention_household_label("famille_monoparentale"),
	                    "Famille monoparentale");
	assert_string_equal(retention_household_label("inconnu"), "inconnu");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(months_on_the_calendar),
	    cmocka_unit_test(month_ends_are_clamped),
	    cmocka_unit_test(leap_days),
	    cmocka_unit_test(invalid_input),
	    cmocka_unit_test(purge_dates_by_outcome),
	    cmocka_unit_test(api_answers_never_outlive_the_dossier),
	    cmocka_unit_test(due_and_days),
	    cmocka_unit_test(ranges),
	    cmocka_unit_test(statistics_categories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
