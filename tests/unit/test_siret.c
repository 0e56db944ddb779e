#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/siret.h"

/* Demo CCAS "CCAS de Démoville": SIREN 264 599 903, head office NIC 00012. */
#define DEMO_SIREN "264599903"
#define DEMO_SIRET "26459990300012"

static void siren_valid(void **state)
{
	const char *why = "untouched";

	assert_int_equal(siren_check(DEMO_SIREN, &why), 0);
	assert_string_equal(why, "untouched");
	assert_int_equal(siren_check("732 829 320", NULL), 0);
	assert_int_equal(siren_check("552100554", NULL), 0);
	assert_int_equal(siren_check(SIREN_LA_POSTE, NULL), 0);
}

static void siren_invalid(void **state)
{
	const char *why = NULL;

	assert_int_equal(siren_check("732829321", &why), CAS_EINVAL);
	assert_string_equal(why, "Le SIREN est invalide (clé de contrôle incorrecte).");
	assert_int_equal(siren_check("73282932", &why), CAS_EINVAL);
	assert_string_equal(why, "Le SIREN doit comporter 9 chiffres.");
	assert_int_equal(siren_check("7328293200", &why), CAS_EINVAL);
	assert_int_equal(siren_check("73282932A", &why), CAS_EINVAL);
	assert_int_equal(siren_check("", &why), CAS_EINVAL);
	assert_int_equal(siren_check(NULL, &why), CAS_EINVAL);
	assert_int_equal(siren_check(DEMO_SIRET, NULL), CAS_EINVAL);
}

static void siret_valid(void **state)
{
	const char *why = NULL;

	assert_int_equal(siret_check(DEMO_SIRET, &why), 0);
	assert_null(why);
	assert_int_equal(siret_check("264 599 903 00012", NULL), 0);
	assert_int_equal(siret_check("26459990300020", NULL), 0);
	assert_int_equal(siret_check("73282932000074", NULL), 0);
	assert_int_equal(siret_check(" 732 829 320 00074 ", NULL), 0);
	/* no-break and narrow no-break spaces, as pasted from web pages */
	assert_int_equal(siret_check("732\xc2\xa0"
	                             "829\xe2\x80\xaf"
	                             "320 00074",
	                             NULL),
	                 0);
}

static void siret_invalid(void **state)
{
	const char *why = NULL;

	assert_int_equal(siret_check("26459990300013", &why), CAS_EINVAL);
	assert_string_equal(why, "Le SIRET est invalide (clé de contrôle incorrecte).");
	assert_int_equal(siret_check("73282932000075", &why), CAS_EINVAL);
	/* passes Luhn over 14 digits, but its SIREN 123456789 does not */
	assert_int_equal(siret_check("12345678910006", &why), CAS_EINVAL);
	assert_string_equal(why, "Le SIRET est invalide (clé de contrôle incorrecte).");
	why = NULL;
	assert_int_equal(siret_check("2645999030001", &why), CAS_EINVAL);
	assert_string_equal(why, "Le SIRET doit comporter 14 chiffres.");
	assert_int_equal(siret_check("264599903000120", &why), CAS_EINVAL);
	assert_int_equal(siret_check("2645999030001O", &why), CAS_EINVAL);
	assert_int_equal(siret_check("264-599-903-00012", &why), CAS_EINVAL);
	assert_int_equal(siret_check("", &why), CAS_EINVAL);
	assert_int_equal(siret_check("              ", &why), CAS_EINVAL);
	assert_int_equal(siret_check(NULL, NULL), CAS_EINVAL);
	assert_int_equal(siret_check("\xff"
	                             "26459990300012",
	                             NULL),
	                 CAS_EINVAL);
}

static void siret_la_poste(void **state)
{
	/* head office: plain Luhn */
	assert_int_equal(siret_check("35600000000048", NULL), 0);
	/* establishments: Luhn fails, digit sum is a multiple of 5 */
	assert_int_equal(siret_check("35600000049837", NULL), 0);
	assert_int_equal(siret_check("356 000 000 12346", NULL), 0);
	/* neither */
	assert_int_equal(siret_check("35600000012345", NULL), CAS_EINVAL);
	/* the exception only applies to La Poste's SIREN */
	assert_int_equal(siret_check("26459990300017", NULL), CAS_EINVAL);
}

static void siret_normalise_cases(void **state)
{
	char out[15];

	assert_int_equal(siret_normalise("264 599 903 00012", out), 0);
	assert_string_equal(out, DEMO_SIRET);
	assert_int_equal(siret_normalise(DEMO_SIRET, out), 0);
	assert_string_equal(out, DEMO_SIRET);
	/* normalising does not check the key */
	assert_int_equal(siret_normalise("26459990300013", out), 0);
	assert_string_equal(out, "26459990300013");
	assert_int_equal(siret_normalise("2645999030001", out), CAS_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(siret_normalise("264599903000120", out), CAS_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(siret_normalise("264.599.903.00012", out), CAS_EINVAL);
	assert_int_equal(siret_normalise(NULL, out), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(siren_valid),    cmocka_unit_test(siren_invalid),
	    cmocka_unit_test(siret_valid),    cmocka_unit_test(siret_invalid),
	    cmocka_unit_test(siret_la_poste), cmocka_unit_test(siret_normalise_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
