#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "app/person_terms.h"
#include "base/err.h"

static void assert_alt(const struct person_name_alt *a, const char *nom, const char *phon,
                       const char *prenom)
{
	assert_string_equal(a->nom_prefix, nom);
	assert_string_equal(a->nom_phon, phon);
	if (prenom)
		assert_string_equal(a->prenom_prefix, prenom);
	else
		assert_null(a->prenom_prefix);
}

static void assert_range(const struct person_date_range *r, const char *lo, const char *hi)
{
	assert_string_equal(r->lo, lo);
	assert_string_equal(r->hi, hi);
}

static void test_blank(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, NULL, NULL, NULL), 0);
	assert_int_equal(t.q.nalts, 0);
	assert_int_equal(t.q.ndates, 0);
	assert_int_equal(person_terms_build(&t, "  - ' ", "  ", NULL), 0);
	assert_int_equal(t.q.nalts, 0);
	assert_int_equal(t.q.ndates, 0);
}

static void test_one_word(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, "  LEFÈVRE ", NULL, NULL), 0);
	assert_int_equal(t.q.nalts, 1);
	assert_alt(&t.q.alts[0], "lefevre", "lefevr", NULL);
	assert_int_equal(person_terms_build(&t, "Lefebvre", NULL, NULL), 0);
	assert_alt(&t.q.alts[0], "lefebvre", "lefevr", NULL);
}

static void test_two_words(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, "Dupont Jean", NULL, NULL), 0);
	assert_int_equal(t.q.nalts, 3);
	assert_alt(&t.q.alts[0], "dupont jean", "dupon jan", NULL);
	assert_alt(&t.q.alts[1], "dupont", "dupon", "jean");
	assert_alt(&t.q.alts[2], "jean", "jan", "dupont");
}

static void test_compound_names(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, "De La Fontaine-Marie", NULL, NULL), 0);
	assert_int_equal(t.q.nalts, 3);
	assert_string_equal(t.q.alts[0].nom_prefix, "de la fontaine marie");
	assert_string_equal(t.q.alts[1].nom_prefix, "de la fontaine");
	assert_string_equal(t.q.alts[1].prenom_prefix, "marie");
	assert_string_equal(t.q.alts[2].nom_prefix, "la fontaine marie");
	assert_string_equal(t.q.alts[2].prenom_prefix, "de");
}

static void test_long_name_is_cut(void **state)
{
	char name[1000];
	struct person_terms t;
	for (size_t i = 0; i < sizeof(name) - 1; i++)
		name[i] = i % 10 == 9 ? ' ' : 'a';
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(person_terms_build(&t, name, NULL, NULL), 0);
	size_t n = strlen(t.full);
	assert_true(n <= PERSON_TERMS_MAX);
	assert_true(n > 0 && t.full[n - 1] != ' ');
	assert_int_equal(t.q.nalts, 3);
}

static void test_full_date(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, NULL, "12/03/1990", NULL), 0);
	assert_int_equal(t.q.ndates, 3);
	assert_range(&t.q.dates[0], "1990-03-12", "1990-03-12");
	assert_range(&t.q.dates[1], "1990-03-00", "1990-03-00");
	assert_range(&t.q.dates[2], "1990-00-00", "1990-00-00");
	assert_int_equal(person_terms_build(&t, NULL, "1990-03-12", NULL), 0);
	assert_range(&t.q.dates[0], "1990-03-12", "1990-03-12");
}

static void test_partial_dates(void **state)
{
	struct person_terms t;
	assert_int_equal(person_terms_build(&t, "x", "03/1990", NULL), 0);
	assert_int_equal(t.q.nalts, 1);
	assert_int_equal(t.q.ndates, 2);
	assert_range(&t.q.dates[0], "1990-03-00", "1990-03-31");
	assert_range(&t.q.dates[1], "1990-00-00", "1990-00-00");
	assert_int_equal(person_terms_build(&t, NULL, "1990", NULL), 0);
	assert_int_equal(t.q.ndates, 1);
	assert_range(&t.q.dates[0], "1990-00-00", "1990-12-31");
}

static void test_bad_date(void **state)
{
	struct person_terms t;
	const char *why = NULL;
	assert_int_equal(person_terms_build(&t, "x", "31/02/1990", &why), CAS_EINVAL);
	assert_non_null(why);
	why = NULL;
	assert_int_equal(person_terms_build(&t, NULL, "hier", &why), CAS_EINVAL);
	assert_non_null(why);
}

static void test_rest_is_zeroed(void **state)
{
	struct person_terms t;
	memset(&t, 0x5a, sizeof(t));
	assert_int_equal(person_terms_build(&t, "x", NULL, NULL), 0);
	assert_int_equal(t.q.limit, 0);
	assert_int_equal(t.q.offset, 0);
	assert_int_equal(t.q.after_id, 0);
	assert_int_equal(t.q.desc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blank),
	    cmocka_unit_test(test_one_word),
	    cmocka_unit_test(test_two_words),
	    cmocka_unit_test(test_compound_names),
	    cmocka_unit_test(test_long_name_is_cut),
	    cmocka_unit_test(test_full_date),
	    cmocka_unit_test(test_partial_dates),
	    cmocka_unit_test(test_bad_date),
	    cmocka_unit_test(test_rest_is_zeroed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
