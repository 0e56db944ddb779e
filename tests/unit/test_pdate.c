#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/err.h"
#include "domain/pdate.h"

static void assert_parses(const char *s, int y, int m, int d)
{
	struct pdate p;
	const char *why = NULL;

	if (pdate_parse(s, &p, &why) != 0)
		fail_msg("\"%s\" refused: %s", s, why);
	assert_int_equal(p.year, y);
	assert_int_equal(p.month, m);
	assert_int_equal(p.day, d);
}

/* Asserts that s is refused with the given message (NULL: any message). */
static void assert_refused(const char *s, const char *msg)
{
	struct pdate p = {1, 2, 3};
	const char *why = NULL;

	if (pdate_parse(s, &p, &why) != CAS_EINVAL)
		fail_msg("\"%s\" accepted", s);
	assert_non_null(why);
	if (msg)
		assert_string_equal(why, msg);
	assert_int_equal(p.year, 0);
	assert_int_equal(p.month, 0);
	assert_int_equal(p.day, 0);
}

static void ymd_helpers(void **state)
{
	assert_true(ymd_valid(2024, 2, 29));
	assert_false(ymd_valid(2023, 2, 29));
	assert_true(ymd_valid(2000, 2, 29));
	assert_false(ymd_valid(1900, 2, 29));
	assert_true(ymd_valid(1985, 12, 31));
	assert_false(ymd_valid(1985, 4, 31));
	assert_false(ymd_valid(1985, 13, 1));
	assert_false(ymd_valid(1985, 0, 1));
	assert_false(ymd_valid(1985, 1, 0));
	assert_false(ymd_valid(0, 1, 1));
	assert_false(ymd_valid(10000, 1, 1));
	assert_int_equal(ymd_days_in_month(2024, 2), 29);
	assert_int_equal(ymd_days_in_month(2100, 2), 28);
	assert_int_equal(ymd_days_in_month(2024, 13), 0);
	assert_true(ymd_cmp(2024, 1, 1, 2023, 12, 31) > 0);
	assert_true(ymd_cmp(2024, 3, 1, 2024, 3, 2) < 0);
	assert_int_equal(ymd_cmp(2024, 3, 1, 2024, 3, 1), 0);
}

static void ymd_parse_iso_cases(void **state)
{
	int y, m, d;

	assert_int_equal(ymd_parse_iso("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(ymd_parse_iso("2023-02-29", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("2024-2-29", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("2024-02-00", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("29/02/2024", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("2024-02-291", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso(" 2024-02-29", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("2024/02/29", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso("", &y, &m, &d), CAS_EINVAL);
	assert_int_equal(ymd_parse_iso(NULL, &y, &m, &d), CAS_EINVAL);
}

static void parse_valid(void **state)
{
	assert_parses("1985-03-12", 1985, 3, 12);
	assert_parses("1985-03", 1985, 3, 0);
	assert_parses("1985", 1985, 0, 0);
	assert_parses("12/03/1985", 1985, 3, 12);
	assert_parses("03/1985", 1985, 3, 0);
	assert_parses("1985-00-00", 1985, 0, 0);
	assert_parses("1985-03-00", 1985, 3, 0);
	assert_parses("1985-00", 1985, 0, 0);
	assert_parses("00/03/1985", 1985, 3, 0);
	assert_parses("00/00/1985", 1985, 0, 0);
	assert_parses("00/1985", 1985, 0, 0);
	assert_parses("1/3/1985", 1985, 3, 1);
	assert_parses("3/1985", 1985, 3, 0);
	assert_parses("12.03.1985", 1985, 3, 12);
	assert_parses("12-03-1985", 1985, 3, 12);
	assert_parses("  12/03/1985 ", 1985, 3, 12);
	assert_parses("29/02/2000", 2000, 2, 29);
	assert_parses("2024-02-29", 2024, 2, 29);
	assert_parses("1900-01-01", 1900, 1, 1);
	assert_parses("31/12/9999", 9999, 12, 31);
}

static void parse_invalid(void **state)
{
	const char *fmt = "Date non reconnue : utilisez le format JJ/MM/AAAA, MM/AAAA ou AAAA.";

	assert_refused("", "La date est vide.");
	assert_refused("   ", "La date est vide.");
	assert_refused(NULL, "La date est vide.");
	assert_refused("29/02/2023", "Ce jour n'existe pas dans le calendrier.");
	assert_refused("29/02/1900", "Ce jour n'existe pas dans le calendrier.");
	assert_refused("31/04/1985", "Ce jour n'existe pas dans le calendrier.");
	assert_refused("32/01/1985", "Ce jour n'existe pas dans le calendrier.");
	assert_refused("1985-13-01",
	               "Le mois doit être compris entre 01 et 12 (00 s'il est inconnu).");
	assert_refused("13/1985",
	               "Le mois doit être compris entre 01 et 12 (00 s'il est inconnu).");
	assert_refused("12/00/1985", "Le jour ne peut pas être connu si le mois est inconnu.");
	assert_refused("1985-00-12", "Le jour ne peut pas être connu si le mois est inconnu.");
	assert_refused("31/12/1899", "L'année doit être postérieure ou égale à 1900.");
	assert_refused("0000", "L'année doit être postérieure ou égale à 1900.");
	assert_refused("1899", NULL);
	assert_refused("85", fmt);
	assert_refused("12/03/85", fmt);
	assert_refused("19850312", fmt);
	assert_refused("1985/03/12", fmt);
	assert_refused("12/03-1985", fmt);
	assert_refused("12//1985", fmt);
	assert_refused("12/03/1985/", fmt);
	assert_refused("/03/1985", fmt);
	assert_refused("1985-03-12-01", fmt);
	assert_refused("123/03/1985", fmt);
	assert_refused("12 03 1985", fmt);
	assert_refused("1985-03-12T00:00", fmt);
	assert_refused("12/mars/1985", fmt);
	assert_refused("-1985", fmt);
	assert_refused("12/03/19850", fmt);
}

static void not_future(void **state)
{
	struct pdate d = {2025, 3, 15};
	const char *why = NULL;

	assert_int_equal(pdate_check_not_future(&d, 2025, 3, 15, &why), 0);
	assert_int_equal(pdate_check_not_future(&d, 2026, 1, 1, &why), 0);
	assert_null(why);
	assert_int_equal(pdate_check_not_future(&d, 2025, 3, 14, &why), CAS_EINVAL);
	assert_string_equal(why, "La date ne peut pas être dans le futur.");

	d = (struct pdate){2025, 0, 0}; /* may be 1 January */
	assert_int_equal(pdate_check_not_future(&d, 2025, 1, 1, NULL), 0);
	assert_int_equal(pdate_check_not_future(&d, 2024, 12, 31, NULL), CAS_EINVAL);
	d = (struct pdate){2025, 4, 0};
	assert_int_equal(pdate_check_not_future(&d, 2025, 4, 1, NULL), 0);
	assert_int_equal(pdate_check_not_future(&d, 2025, 3, 31, NULL), CAS_EINVAL);
}

static void formats(void **state)
{
	char out[11];
	struct pdate d = {1985, 3, 12};

	pdate_iso(&d, out);
	assert_string_equal(out, "1985-03-12");
	pdate_fr(&d, out);
	assert_string_equal(out, "12/03/1985");
	d.day = 0;
	pdate_iso(&d, out);
	assert_string_equal(out, "1985-03-00");
	pdate_fr(&d, out);
	assert_string_equal(out, "03/1985");
	d.month = 0;
	pdate_iso(&d, out);
	assert_string_equal(out, "1985-00-00");
	pdate_fr(&d, out);
	assert_string_equal(out, "1985");
}

static void round_trip(void **state)
{
	const char *forms[] = {"1985-03-12", "1985-03-00", "1985-00-00", "2000-02-29"};
	char out[11];
	struct pdate d;

	for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		assert_int_equal(pdate_parse(forms[k], &d, NULL), 0);
		pdate_iso(&d, out);
		assert_string_equal(out, forms[k]);
		pdate_fr(&d, out);
		assert_int_equal(pdate_parse(out, &d, NULL), 0);
		pdate_iso(&d, out);
		assert_string_equal(out, forms[k]);
	}
}

static void age(void **state)
{
	struct pdate d = {1960, 6, 15};

	assert_int_equal(pdate_age_at(&d, 2025, 6, 14), 64);
	assert_int_equal(pdate_age_at(&d, 2025, 6, 15), 65);
	assert_int_equal(pdate_age_at(&d, 2025, 12, 31), 65);
	assert_int_equal(pdate_age_at(&d, 1960, 6, 15), 0);
	assert_int_equal(pdate_age_at(&d, 1960, 6, 14), -1);
	assert_int_equal(pdate_age_at(&d, 1950, 1, 1), -1);

	/* unknown day: the last day of the month */
	d = (struct pdate){1960, 6, 0};
	assert_int_equal(pdate_age_at(&d, 2025, 6, 29), 64);
	assert_int_equal(pdate_age_at(&d, 2025, 6, 30), 65);
	d = (struct pdate){1960, 2, 0}; /* 1960 is a leap year: maybe 29 Feb */
	assert_int_equal(pdate_age_at(&d, 2025, 2, 28), 64);
	assert_int_equal(pdate_age_at(&d, 2025, 3, 1), 65);
	assert_int_equal(pdate_age_at(&d, 2024, 2, 29), 64);
	assert_int_equal(pdate_age_at(&d, 1961, 2, 28), 0);
	assert_int_equal(pdate_age_at(&d, 1961, 3, 1), 1);

	/* unknown month: 31 December */
	d = (struct pdate){1960, 0, 0};
	assert_int_equal(pdate_age_at(&d, 2025, 12, 30), 64);
	assert_int_equal(pdate_age_at(&d, 2025, 12, 31), 65);
	assert_int_equal(pdate_age_at(&d, 1960, 1, 1), 0); /* may be born */
	assert_int_equal(pdate_age_at(&d, 1959, 12, 31), -1);
	d = (struct pdate){1960, 5, 0};
	assert_int_equal(pdate_age_at(&d, 1960, 5, 1), 0);
	assert_int_equal(pdate_age_at(&d, 1960, 4, 30), -1);

	/* 29 February: one year older on 1 March of common years */
	d = (struct pdate){2004, 2, 29};
	assert_int_equal(pdate_age_at(&d, 2022, 2, 28), 17);
	assert_int_equal(pdate_age_at(&d, 2022, 3, 1), 18);
	assert_int_equal(pdate_age_at(&d, 2024, 2, 29), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ymd_helpers), cmocka_unit_test(ymd_parse_iso_cases),
	    cmocka_unit_test(parse_valid), cmocka_unit_test(parse_invalid),
	    cmocka_unit_test(not_future),  cmocka_unit_test(formats),
	    cmocka_unit_test(round_trip),  cmocka_unit_test(age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
