/* Consumption units (INSEE/OECD, chèque énergie) and reste à vivre. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "domain/reste_a_vivre.h"
#include "domain/uc.h"

static const char *text(struct ratio r, int decimals)
{
	static char buf[RATIO_FMT_SIZE];
	return decimals < 0 ? ratio_format_exact(r, buf) : ratio_format(r, decimals, buf);
}

static const char *oecd(const int *ages, int n)
{
	struct ratio r;
	assert_int_equal(uc_oecd(ages, n, &r), 0);
	return text(r, -1);
}

static void oecd_scale(void **state)
{
	assert_string_equal(oecd((int[]){40}, 1), "1");
	assert_string_equal(oecd((int[]){40, 38}, 2), "1.5");
	assert_string_equal(oecd((int[]){40, 38, 5, 3}, 4), "2.1");
	assert_string_equal(oecd((int[]){40, 38, 15, 10}, 4), "2.3");
	assert_string_equal(oecd((int[]){35, 15}, 2), "1.5");
	/* the edge: 14 years counts as an adult, 13 as a child */
	assert_string_equal(oecd((int[]){30, 14}, 2), "1.5");
	assert_string_equal(oecd((int[]){30, 13}, 2), "1.3");
	struct ratio r;
	assert_int_equal(uc_oecd((int[]){30, -1}, 2, &r), CAS_EINVAL);
	assert_int_equal(uc_oecd(NULL, 1, &r), CAS_EINVAL);
	assert_int_equal(uc_oecd((int[]){30}, 0, &r), CAS_EINVAL);
}

static const char *energie(int n, int alt)
{
	struct ratio r;
	assert_int_equal(uc_cheque_energie(n, alt, &r), 0);
	return text(r, -1);
}

static void cheque_energie_scale(void **state)
{
	assert_string_equal(energie(1, 0), "1");
	assert_string_equal(energie(2, 0), "1.5");
	assert_string_equal(energie(3, 0), "1.8");
	assert_string_equal(energie(4, 0), "2.1");
	assert_string_equal(energie(2, 1), "1.25");
	assert_string_equal(energie(3, 2), "1.5");
	assert_string_equal(energie(3, 1), "1.65");
	assert_string_equal(energie(4, 2), "1.8");
	struct ratio r;
	assert_int_equal(uc_cheque_energie(1, 1, &r), CAS_EINVAL);
	assert_int_equal(uc_cheque_energie(0, 0, &r), CAS_EINVAL);
	assert_int_equal(uc_cheque_energie(2, -1, &r), CAS_EINVAL);
}

static void reste_a_vivre(void **state)
{
	struct ratio r, uc = {23, 10};
	assert_int_equal(rav_jour_personne(120000, 75000, 3, &r), 0);
	assert_string_equal(text(r, -1), "5");
	assert_int_equal(rav_mois_uc(200000, 110000, uc, &r), 0);
	assert_string_equal(text(r, 2), "391.30");
	assert_string_equal(text(r, -1), "9000/23");
	assert_int_equal(rav_jour_uc(200000, 110000, uc, &r), 0);
	assert_string_equal(text(r, 2), "13.04");
	/* negative values are kept */
	assert_int_equal(rav_mois(80000, 95000, &r), 0);
	assert_string_equal(text(r, -1), "-150");
	assert_int_equal(rav_jour_personne(80000, 95000, 2, &r), 0);
	assert_string_equal(text(r, 2), "-2.50");
	assert_int_equal(rav_jour_personne(1000, 0, 0, &r), CAS_EINVAL);
	assert_int_equal(rav_mois_uc(1000, 0, ratio_int(0), &r), CAS_EINVAL);
	assert_int_equal(rav_mois(-1, 0, &r), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(oecd_scale),
	    cmocka_unit_test(cheque_energie_scale),
	    cmocka_unit_test(reste_a_vivre),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
