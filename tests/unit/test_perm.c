#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "app/perm.h"

/* Every permission has a name made of [a-z_], and no two share one: the
 * names are the stable identifiers printed by `cassis routes`. */
static void names_present_and_unique(void **state)
{
	for (int p = 0; p < PERM__COUNT; p++) {
		const char *name = perm_name((enum perm)p);
		assert_non_null(name);
		assert_true(name[0] != '\0');
		assert_int_equal(strspn(name, "abcdefghijklmnopqrstuvwxyz_"), strlen(name));
		for (int q = 0; q < p; q++)
			assert_string_not_equal(name, perm_name((enum perm)q));
	}
}

static void names_stable(void **state)
{
	assert_string_equal(perm_name(PERM_NONE), "none");
	assert_string_equal(perm_name(PERM_PERSON_READ), "person_read");
	assert_string_equal(perm_name(PERM_DOSSIER_DECIDE), "dossier_decide");
	assert_string_equal(perm_name(PERM_LEGAL_HOLD), "legal_hold");
	assert_string_equal(perm_name(PERM__COUNT), "");
	assert_string_equal(perm_name((enum perm) - 1), "");
}

static void allows_bounds_and_operator(void **state)
{
	for (int p = 0; p < PERM__COUNT; p++) {
		assert_true(perm_allows(ROLE_SYSTEME, (enum perm)p));
		assert_false(perm_allows(ROLE__COUNT, (enum perm)p));
	}
	for (int r = 0; r < ROLE__COUNT; r++) {
		assert_true(perm_allows((enum role)r, PERM_NONE));
		assert_false(perm_allows((enum role)r, PERM__COUNT));
	}
}

static void allows_policy_samples(void **state)
{
	assert_true(perm_allows(ROLE_VALIDEUR, PERM_DOSSIER_DECIDE));
	assert_false(perm_allows(ROLE_INSTRUCTEUR, PERM_DOSSIER_DECIDE));
	assert_true(perm_allows(ROLE_PLATEFORME, PERM_TENANTS_ADMIN));
	assert_false(perm_allows(ROLE_PLATEFORME, PERM_PERSON_READ));
	assert_false(perm_allows(ROLE_ADMINISTRATEUR, PERM_MAINTENANCE));
	assert_false(perm_allows(ROLE_ACCUEIL, PERM_COMMISSION_READ));
	assert_true(perm_allows(ROLE_AUDITEUR, PERM_COMMISSION_READ));
	assert_false(perm_allows(ROLE_ADMINISTRATEUR, PERM_LETTER_READ));
	assert_true(perm_allows(ROLE_ACCUEIL, PERM_LETTER_READ));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names_present_and_unique),
	    cmocka_unit_test(names_stable),
	    cmocka_unit_test(allows_bounds_and_operator),
	    cmocka_unit_test(allows_policy_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
