/* Nombre de parts fiscales (CGI 194, 195) and monthly fiscal QF. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/fiscal_parts.h"

static const char *parts(struct fiscal_household h)
{
	static char buf[RATIO_FMT_SIZE];
	struct ratio r;
	assert_int_equal(fiscal_parts(&h, &r), 0);
	return ratio_format_exact(r, buf);
}

static void singles(void **state)
{
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_SEUL}), "1");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 1}),
	                    "1.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 1, .case_t = 1}), "2");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 2, .case_t = 1}), "2.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 4, .case_t = 1}), "4.5");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_h = 4}),
	                    "2.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_h = 4, .case_t = 1}), "3");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_h = 1, .case_t = 1}), "1.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_h = 4, .nb_i = 4}), "3.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 4, .nb_g = 2}), "5");
	/* no dependant: P, W/G and L give at most a half part together */
	assert_string_equal(parts((struct fiscal_household){
	                        .status = FISCAL_SEUL, .case_p = 1, .case_w = 1, .case_l = 1}),
	                    "1.5");
	/* L cancelled by N */
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .case_l = 1, .case_n = 1}), "1");
	/* invalid with a dependant */
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 1, .case_p = 1}), "2");
	/* L ignored with dependants */
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_SEUL, .nb_f = 1, .case_l = 1}), "1.5");
}

static void couples(void **state)
{
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_COUPLE}), "2");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 2}),
	                    "3");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 4}),
	                    "5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 2, .nb_h = 2}), "4");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_h = 4}),
	                    "3.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 1, .nb_h = 2}),
	    "3.25");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 3, .nb_g = 1}), "4.5");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 3, .nb_r = 1}), "5.5");
	assert_string_equal(parts((struct fiscal_household){
	                        .status = FISCAL_COUPLE, .nb_f = 2, .nb_h = 1, .nb_i = 1}),
	                    "3.75");
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .case_p = 1, .case_f = 1}),
	    "3");
	/* W/S are not added to P/F: the larger counts */
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .case_p = 1, .case_s = 1}),
	    "2.5");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_COUPLE, .case_w = 1}),
	                    "2.5");
	/* T does not apply to a couple */
	assert_string_equal(
	    parts((struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 1, .case_t = 1}),
	    "2.5");
}

static void widows(void **state)
{
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF}), "1");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .nb_f = 1}),
	                    "2.5");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .nb_f = 2}),
	                    "3");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .nb_h = 1}),
	                    "2.25");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .case_p = 1}),
	                    "1.5");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .case_l = 1}),
	                    "1.5");
	assert_string_equal(parts((struct fiscal_household){.status = FISCAL_VEUF, .case_g = 1}),
	                    "1.5");
}

static void invalid_counts(void **state)
{
	struct ratio r;
	struct fiscal_household h = {.status = FISCAL_SEUL, .nb_f = 1, .nb_g = 2};
	assert_int_equal(fiscal_parts(&h, &r), CAS_EINVAL);
	h = (struct fiscal_household){.status = FISCAL_SEUL, .nb_h = 1, .nb_i = 2};
	assert_int_equal(fiscal_parts(&h, &r), CAS_EINVAL);
	h = (struct fiscal_household){.status = FISCAL_SEUL, .nb_f = -1};
	assert_int_equal(fiscal_parts(&h, &r), CAS_EINVAL);
	h = (struct fiscal_household){.status = (enum fiscal_status)9};
	assert_int_equal(fiscal_parts(&h, &r), CAS_EINVAL);
	h = (struct fiscal_household){.status = FISCAL_COUPLE, .nb_f = 1000};
	assert_int_equal(fiscal_parts(&h, &r), 0);
	h.nb_f = 1001;
	assert_int_equal(fiscal_parts(&h, &r), CAS_EINVAL);
}

static void qf_mensuel(void **state)
{
	char buf[RATIO_FMT_SIZE];
	struct ratio qf;
	assert_int_equal(qf_fiscal_mensuel(100000, ratio_int(2), &qf), 0);
	assert_string_equal(ratio_format(qf, 2, buf), "41.67");
	assert_int_equal(qf_fiscal_mensuel(2400000, (struct ratio){5, 2}, &qf), 0);
	assert_string_equal(ratio_format_exact(qf, buf), "800");
	assert_int_equal(qf_fiscal_mensuel(120000, ratio_int(1), &qf), 0);
	assert_string_equal(ratio_format_exact(qf, buf), "100");
	assert_int_equal(qf_fiscal_mensuel(100, ratio_int(0), &qf), CAS_EINVAL);
	enum fiscal_status st;
	assert_true(fiscal_status_from_situation("pacse", &st));
	assert_int_equal(st, FISCAL_COUPLE);
	assert_true(fiscal_status_from_situation("veuf", &st));
	assert_int_equal(st, FISCAL_VEUF);
	assert_false(fiscal_status_from_situation("marié", &st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(singles),    cmocka_unit_test(couples),
	    cmocka_unit_test(widows),     cmocka_unit_test(invalid_counts),
	    cmocka_unit_test(qf_mensuel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
