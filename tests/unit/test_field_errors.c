#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/field_errors.h"

static void add_and_get(void **state)
{
	struct field_errors e = {0};

	assert_null(field_errors_get(&e, "nom"));
	field_errors_add(&e, "nom", "Le nom est obligatoire.");
	field_errors_add(&e, "email", "Adresse invalide.");
	field_errors_add(&e, "nom", "Second message.");
	assert_int_equal(e.n, 3);
	assert_string_equal(field_errors_get(&e, "nom"), "Le nom est obligatoire.");
	assert_string_equal(field_errors_get(&e, "email"), "Adresse invalide.");
	assert_null(field_errors_get(&e, "telephone"));
	assert_string_equal(e.items[2].message, "Second message.");
}

static void capacity(void **state)
{
	struct field_errors e = {0};

	for (int k = 0; k < FIELD_ERRORS_MAX + 5; k++)
		field_errors_add(&e, k < FIELD_ERRORS_MAX ? "a" : "late", "message");
	assert_int_equal(e.n, FIELD_ERRORS_MAX);
	assert_null(field_errors_get(&e, "late"));
	assert_string_equal(field_errors_get(&e, "a"), "message");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(add_and_get),
	    cmocka_unit_test(capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
