/* CAF parts and quotient familial, CNAF table and local variants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "base/err.h"
#include "domain/caf_qf.h"

static void assert_text(struct ratio r, const char *expected)
{
	char buf[RATIO_FMT_SIZE];
	assert_string_equal(ratio_format_exact(r, buf), expected);
}

static const char *parts_text(const struct caf_parts_table *t, int couple, int n, int aeeh)
{
	static char buf[RATIO_FMT_SIZE];
	struct ratio r;
	assert_int_equal(caf_parts(t, couple, n, aeeh, &r), 0);
	return ratio_format_exact(r, buf);
}

static void cnaf_parts(void **state)
{
	struct caf_parts_table t;
	caf_parts_table_cnaf(&t);
	assert_string_equal(parts_text(&t, 1, 0, 0), "2");
	assert_string_equal(parts_text(&t, 0, 1, 0), "2.5");
	assert_string_equal(parts_text(&t, 1, 2, 0), "3");
	assert_string_equal(parts_text(&t, 1, 3, 0), "4");
	assert_string_equal(parts_text(&t, 1, 4, 1), "5");
	assert_string_equal(parts_text(&t, 1, 5, 2), "6");
	assert_string_equal(parts_text(&t, 1, 6, 0), "5.5");
	assert_string_equal(parts_text(&t, 0, 0, 0), "2");
	struct ratio r;
	assert_int_equal(caf_parts(&t, 1, 2, 3, &r), CAS_EINVAL);
	assert_int_equal(caf_parts(&t, 1, -1, 0, &r), CAS_EINVAL);
	assert_int_equal(caf_parts(&t, 1, 1001, 0, &r), CAS_EINVAL);
}

static void brest_table(void **state)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "nom", "Brest métropole", "couple", "2",
	                      "isole", "1", "parent_isole", "0.5");
	struct caf_parts_table t;
	assert_int_equal(caf_parts_table_from_json(j, &t, NULL), 0);
	assert_string_equal(parts_text(&t, 0, 0, 0), "1");
	assert_string_equal(parts_text(&t, 0, 1, 0), "2");
	assert_string_equal(parts_text(&t, 0, 2, 0), "2.5");
	assert_string_equal(parts_text(&t, 0, 3, 0), "3.5");
	assert_string_equal(parts_text(&t, 0, 4, 0), "4");
	assert_string_equal(parts_text(&t, 1, 2, 0), "3");
	assert_string_equal(parts_text(&t, 0, 1, 1), "2.5");
	json_decref(j);
}

static void table_json_errors(void **state)
{
	struct caf_parts_table t;
	const char *why = NULL;
	json_t *j = json_pack("{s:s}", "couple", "0");
	assert_int_equal(caf_parts_table_from_json(j, &t, &why), CAS_EINVAL);
	assert_non_null(why);
	json_decref(j);
	j = json_pack("{s:[]}", "enfants");
	assert_int_equal(caf_parts_table_from_json(j, &t, &why), CAS_EINVAL);
	json_decref(j);
	j = json_pack("{s:[s,i,f]}", "enfants", "0.5", 1, 0.25);
	assert_int_equal(caf_parts_table_from_json(j, &t, NULL), 0);
	assert_int_equal(t.nb_ranks, 3);
	assert_string_equal(parts_text(&t, 1, 5, 0), "4.25"); /* 2 + .5 + 1 + 3 x .25 */
	json_decref(j);
	j = json_pack("{s:s}", "handicap", "-0.5");
	assert_int_equal(caf_parts_table_from_json(j, &t, NULL), CAS_EINVAL);
	json_decref(j);
	j = json_string("CNAF");
	assert_int_equal(caf_parts_table_from_json(j, &t, NULL), CAS_EINVAL);
	json_decref(j);
	assert_int_equal(caf_parts_table_from_json(NULL, &t, NULL), 0);
	assert_string_equal(parts_text(&t, 0, 1, 0), "2.5");
}

static void quotient(void **state)
{
	struct ratio qf;
	assert_int_equal(caf_qf(3000000, 15000, ratio_int(3), &qf), 0);
	assert_text(qf, "2650/3"); /* 883.33... */
	assert_int_equal(caf_qf(1440000, 20000, (struct ratio){5, 2}, &qf), 0);
	assert_text(qf, "560");
	assert_int_equal(caf_qf(0, 0, ratio_int(2), &qf), 0);
	assert_text(qf, "0");
	assert_int_equal(caf_qf(100, 0, ratio_int(0), &qf), CAS_EINVAL);
	assert_int_equal(caf_qf(-1, 0, ratio_int(1), &qf), CAS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cnaf_parts),
	    cmocka_unit_test(brest_table),
	    cmocka_unit_test(table_json_errors),
	    cmocka_unit_test(quotient),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
