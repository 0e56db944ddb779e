#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/err.h"
#include "domain/household.h"

static void relation_codes(void **state)
{
	static const char *const codes[REL_COUNT] = {"demandeur", "conjoint", "enfant",
	                                             "personne_a_charge", "autre"};
	enum relation r;

	for (int k = 0; k < REL_COUNT; k++) {
		r = REL_AUTRE;
		assert_int_equal(relation_from_code(codes[k], &r), 0);
		assert_int_equal(r, k);
		assert_string_equal(relation_code(r), codes[k]);
		assert_non_null(relation_label(r));
	}
	assert_int_equal(relation_from_code("conjoint", &r), 0);
	assert_int_equal(r, REL_CONJOINT);
}

static void relation_labels(void **state)
{
	assert_string_equal(relation_label(REL_DEMANDEUR), "Demandeur");
	assert_string_equal(relation_label(REL_CONJOINT), "Conjoint(e)");
	assert_string_equal(relation_label(REL_ENFANT), "Enfant");
	assert_string_equal(relation_label(REL_PERSONNE_A_CHARGE), "Autre personne à charge");
	assert_string_equal(relation_label(REL_AUTRE), "Autre");
}

static void relation_unknown(void **state)
{
	enum relation r = REL_ENFANT;

	assert_int_equal(relation_from_code("Conjoint", &r), CAS_EINVAL);
	assert_int_equal(relation_from_code("conjointe", &r), CAS_EINVAL);
	assert_int_equal(relation_from_code("", &r), CAS_EINVAL);
	assert_int_equal(relation_from_code(NULL, &r), CAS_EINVAL);
	assert_int_equal(r, REL_ENFANT);
	assert_null(relation_code((enum relation)REL_COUNT));
	assert_null(relation_code((enum relation) - 1));
	assert_null(relation_label((enum relation)REL_COUNT));
}

static void dates_valid(void **state)
{
	const char *why = NULL;

	assert_int_equal(household_member_dates_check("2024-01-15", NULL, &why), 0);
	assert_int_equal(household_member_dates_check("2024-01-15", "", &why), 0);
	assert_int_equal(household_member_dates_check("2024-01-15", "2024-01-15", &why), 0);
	assert_int_equal(household_member_dates_check("2024-01-15", "2025-06-30", &why), 0);
	assert_int_equal(household_member_dates_check("2024-02-29", "2024-03-01", &why), 0);
	assert_null(why);
}

static void dates_invalid(void **state)
{
	const char *why = NULL;

	assert_int_equal(household_member_dates_check(NULL, NULL, &why), CAS_EINVAL);
	assert_string_equal(why, "La date d'entrée dans le foyer est obligatoire.");
	assert_int_equal(household_member_dates_check("", "2024-01-01", &why), CAS_EINVAL);
	assert_string_equal(why, "La date d'entrée dans le foyer est obligatoire.");
	assert_int_equal(household_member_dates_check("15/01/2024", NULL, &why), CAS_EINVAL);
	assert_string_equal(why, "La date d'entrée dans le foyer est invalide.");
	assert_int_equal(household_member_dates_check("2023-02-29", NULL, &why), CAS_EINVAL);
	assert_int_equal(household_member_dates_check("2024-01", NULL, &why), CAS_EINVAL);
	assert_int_equal(household_member_dates_check("2024-01-15", "2024-13-01", &why),
	                 CAS_EINVAL);
	assert_string_equal(why, "La date de sortie du foyer est invalide.");
	assert_int_equal(household_member_dates_check("2024-01-15", "demain", &why), CAS_EINVAL);
	assert_int_equal(household_member_dates_check("2024-01-15", "2024-01-14", &why),
	                 CAS_EINVAL);
	assert_string_equal(why,
	                    "La date de sortie du foyer ne peut pas précéder la date d'entrée.");
	assert_int_equal(household_member_dates_check("2024-01-15", "2023-12-31", NULL),
	                 CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(relation_codes),   cmocka_unit_test(relation_labels),
	    cmocka_unit_test(relation_unknown), cmocka_unit_test(dates_valid),
	    cmocka_unit_test(dates_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
