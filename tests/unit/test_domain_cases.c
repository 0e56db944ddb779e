/* The worked cases of the shared domain reference (domain-cases.json), for
 * the identifier checks that exist so far. Skipped where the reference is
 * not beside the project. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cog.h"

static json_t *load_cases(void)
{
	const char *root = getenv("CASSIS_SHARED");
	char path[1024];
	snprintf(path, sizeof(path), "%s/reference/domain-cases.json", root ? root : "../shared");
	return json_load_file(path, 0, NULL);
}

/* Runs every case of kind through check; returns how many were run. */
static int run_kind(json_t *cases, const char *kind, const char *input,
                    int (*check)(const char *, const char **))
{
	size_t i;
	json_t *c;
	int n = 0;
	json_array_foreach(cases, i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "kind")), kind) != 0)
			continue;
		const char *value =
		    json_string_value(json_object_get(json_object_get(c, "inputs"), input));
		const char *expected =
		    json_string_value(json_object_get(json_object_get(c, "expected"), "result"));
		const char *why = NULL;
		int valid = check(value, &why) == 0;
		if (valid != (strcmp(expected, "valid") == 0))
			fail_msg("case %s: %s should be %s",
			         json_string_value(json_object_get(c, "id")), value, expected);
		n++;
	}
	return n;
}

static void identifier_cases(void **state)
{
	json_t *cases = load_cases();
	if (!cases)
		skip();
	assert_true(run_kind(cases, "code_insee", "code_insee", cog_commune_check) > 0);
	assert_true(run_kind(cases, "code_postal", "code_postal", code_postal_check) > 0);
	json_decref(cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(identifier_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
