#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/err.h"
#include "domain/cog.h"

static void commune_valid(void **state)
{
	const char *why = "untouched";

	assert_int_equal(cog_commune_check("75056", &why), 0); /* Paris */
	assert_string_equal(why, "untouched");
	assert_int_equal(cog_commune_check("2A004", NULL), 0); /* Ajaccio */
	assert_int_equal(cog_commune_check("2B033", NULL), 0); /* Bastia */
	assert_int_equal(cog_commune_check("97411", NULL), 0); /* Saint-Denis (Réunion) */
	assert_int_equal(cog_commune_check("97611", NULL), 0); /* Mamoudzou */
	assert_int_equal(cog_commune_check("97502", NULL), 0); /* Saint-Pierre */
	assert_int_equal(cog_commune_check("01001", NULL), 0);
	assert_int_equal(cog_commune_check("95999", NULL), 0);
	assert_int_equal(cog_commune_check("45999", NULL), 0); /* Démoville (demo) */
}

static void commune_invalid(void **state)
{
	const char *why = NULL;

	assert_int_equal(cog_commune_check("7505", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code commune INSEE doit comporter 5 caractères.");
	assert_int_equal(cog_commune_check("750560", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check(NULL, &why), CAS_EINVAL);

	assert_int_equal(cog_commune_check("20004", &why), CAS_EINVAL);
	assert_string_equal(why,
	                    "Le code commune INSEE ne commence pas par un département valide.");
	assert_int_equal(cog_commune_check("00123", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("96001", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("97701", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("97001", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("98735", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("2C004", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("2a004", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("A2004", &why), CAS_EINVAL);

	assert_int_equal(cog_commune_check("99134", &why), CAS_EINVAL);
	assert_string_equal(why, "Ce code désigne un pays : indiquez un code commune INSEE.");

	assert_int_equal(cog_commune_check("75000", &why), CAS_EINVAL);
	assert_string_equal(why, "Le numéro de commune du code INSEE ne peut pas être nul.");
	assert_int_equal(cog_commune_check("2A000", &why), CAS_EINVAL);
	assert_int_equal(cog_commune_check("97400", &why), CAS_EINVAL);

	assert_int_equal(cog_commune_check("7505A", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code commune INSEE doit se terminer par des chiffres.");
	assert_int_equal(cog_commune_check("2A0 4", &why), CAS_EINVAL);
}

static void pays_cases(void **state)
{
	const char *why = NULL;

	assert_int_equal(cog_pays_check("99134", NULL), 0); /* Espagne */
	assert_int_equal(cog_pays_check("99352", NULL), 0); /* Algérie */
	assert_int_equal(cog_pays_check("99101", NULL), 0);
	assert_int_equal(cog_pays_check("99999", NULL), 0);

	assert_int_equal(cog_pays_check("99100", &why), CAS_EINVAL);
	assert_string_equal(why,
	                    "Le code 99100 désigne la France : indiquez la commune de naissance.");
	assert_int_equal(cog_pays_check("99099", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code pays INSEE est invalide.");
	assert_int_equal(cog_pays_check("99000", &why), CAS_EINVAL);
	assert_int_equal(cog_pays_check("75056", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code pays INSEE doit commencer par 99.");
	assert_int_equal(cog_pays_check("9913", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code pays INSEE doit comporter 5 chiffres.");
	assert_int_equal(cog_pays_check("991345", &why), CAS_EINVAL);
	assert_int_equal(cog_pays_check("9913A", &why), CAS_EINVAL);
	assert_int_equal(cog_pays_check("", &why), CAS_EINVAL);
	assert_int_equal(cog_pays_check(NULL, NULL), CAS_EINVAL);
}

static void code_postal_cases(void **state)
{
	const char *why = NULL;

	assert_int_equal(code_postal_check("75001", NULL), 0);
	assert_int_equal(code_postal_check("01000", NULL), 0);
	assert_int_equal(code_postal_check("20000", NULL), 0); /* Ajaccio */
	assert_int_equal(code_postal_check("20200", NULL), 0); /* Bastia */
	assert_int_equal(code_postal_check("97400", NULL), 0);
	assert_int_equal(code_postal_check("98000", NULL), 0); /* Monaco */
	assert_int_equal(code_postal_check("98999", NULL), 0);

	assert_int_equal(code_postal_check("00999", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code postal est invalide.");
	assert_int_equal(code_postal_check("00000", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check("99000", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check("7500", &why), CAS_EINVAL);
	assert_string_equal(why, "Le code postal doit comporter 5 chiffres.");
	assert_int_equal(code_postal_check("750011", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check("2A000", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check("75 01", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check("", &why), CAS_EINVAL);
	assert_int_equal(code_postal_check(NULL, NULL), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(commune_valid),
	    cmocka_unit_test(commune_invalid),
	    cmocka_unit_test(pays_cases),
	    cmocka_unit_test(code_postal_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
