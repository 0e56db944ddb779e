#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app/person_json.h"
#include "app/persons.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("bad test JSON: %s", e.text);
	return j;
}

static const char *get(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Reads body (JSON text) for a creation; fails the test on errors. */
static json_t *read_ok(const char *body, json_t *base)
{
	json_t *b = parse(body), *errors = NULL;
	json_t *in = person_json_in(b, base, &errors);
	json_decref(b);
	if (!in) {
		char *s = json_dumps(errors, 0);
		fail_msg("unexpected errors: %s", s);
	}
	assert_null(errors);
	return in;
}

/* Reads body and returns its errors (fails the test when accepted). */
static json_t *read_errors(const char *body)
{
	json_t *b = parse(body), *errors = NULL;
	json_t *in = person_json_in(b, NULL, &errors);
	json_decref(b);
	assert_null(in);
	assert_non_null(errors);
	return errors;
}

static void test_in_full(void **state)
{
	json_t *in = read_ok("{\"nom_naissance\": \"Lefèvre\", \"nom_usage\": null, "
	                     "\"prenoms\": [\"Jean\", \"Pierre\"], \"sexe\": \"M\", "
	                     "\"date_naissance\": \"1985-03-00\", \"lieu_naissance\": "
	                     "{\"type\": \"etranger\", \"code\": \"99134\"}, "
	                     "\"nationalite\": \"ue\", \"telephone\": \"0612345678\"}",
	                     NULL);
	assert_string_equal(get(in, "nom_naissance"), "Lefèvre");
	assert_string_equal(get(in, "nom_usage"), "");
	assert_string_equal(get(in, "prenom1"), "Jean");
	assert_string_equal(get(in, "prenom2"), "Pierre");
	assert_string_equal(get(in, "prenom3"), "");
	assert_string_equal(get(in, "date_naissance"), "1985-03-00");
	assert_string_equal(get(in, "lieu_type"), "etranger");
	assert_string_equal(get(in, "pays_naissance"), "99134");
	assert_string_equal(get(in, "commune_naissance"), "");
	assert_string_equal(get(in, "telephone"), "0612345678");
	assert_string_equal(get(in, "email"), "");
	/* every field of the use case is present, as a string */
	for (int i = 0; person_fields[i]; i++)
		assert_true(json_is_string(json_object_get(in, person_fields[i])));
	json_decref(in);
}

static void test_in_commune(void **state)
{
	json_t *in =
	    read_ok("{\"lieu_naissance\": {\"type\": \"commune\", \"code\": \"2A004\"}}", NULL);
	assert_string_equal(get(in, "lieu_type"), "commune");
	assert_string_equal(get(in, "commune_naissance"), "2A004");
	assert_string_equal(get(in, "pays_naissance"), "");
	json_decref(in);
}

static void test_in_unknown_and_read_only(void **state)
{
	json_t *e = read_errors("{\"nom\": \"X\", \"id\": 3, \"created_at\": \"x\"}");
	assert_non_null(get(e, "nom"));
	assert_non_null(get(e, "id"));
	assert_non_null(get(e, "created_at"));
	assert_int_equal(json_object_size(e), 3);
	json_decref(e);
}

static void test_in_wrong_types(void **state)
{
	json_t *e = read_errors("{\"sexe\": 1, \"nom_naissance\": [\"X\"], \"email\": true, "
	                        "\"prenoms\": \"Jean\", \"lieu_naissance\": \"75056\"}");
	assert_non_null(get(e, "sexe"));
	assert_non_null(get(e, "nom_naissance"));
	assert_non_null(get(e, "email"));
	assert_non_null(get(e, "prenoms"));
	assert_non_null(get(e, "lieu_naissance"));
	json_decref(e);

	e = read_errors("{\"prenoms\": [\"Jean\", 2]}");
	assert_non_null(get(e, "prenoms[1]"));
	json_decref(e);

	e = read_errors("{\"prenoms\": [\"A\", \"B\", \"C\", \"D\"]}");
	assert_string_equal(get(e, "prenoms"), "Trois prénoms au plus.");
	json_decref(e);
}

static void test_in_lieu_errors(void **state)
{
	json_t *e = read_errors("{\"lieu_naissance\": {\"code\": \"75056\", \"pays\": \"x\"}}");
	assert_non_null(get(e, "lieu_naissance.type"));
	assert_non_null(get(e, "lieu_naissance.pays"));
	json_decref(e);

	e = read_errors("{\"lieu_naissance\": {\"type\": \"commune\", \"code\": 75056}}");
	assert_non_null(get(e, "lieu_naissance.code"));
	json_decref(e);
}

static void test_in_lieu_null_clears(void **state)
{
	json_t *base =
	    read_ok("{\"lieu_naissance\": {\"type\": \"commune\", \"code\": \"75056\"}}", NULL);
	json_t *in = read_ok("{\"lieu_naissance\": null}", base);
	assert_string_equal(get(in, "lieu_type"), "");
	assert_string_equal(get(in, "commune_naissance"), "");
	json_decref(in);
	json_decref(base);
}

static void test_in_partial_update(void **state)
{
	json_t *base = read_ok("{\"nom_naissance\": \"Martin\", \"nom_usage\": \"Durand\", "
	                       "\"prenoms\": [\"Anne\", \"Marie\"], \"email\": \"a@b.fr\"}",
	                       NULL);
	json_t *in = read_ok("{\"nom_usage\": null, \"telephone\": \"0612345678\"}", base);
	assert_string_equal(get(in, "nom_naissance"), "Martin");
	assert_string_equal(get(in, "nom_usage"), "");
	assert_string_equal(get(in, "prenom2"), "Marie");
	assert_string_equal(get(in, "email"), "a@b.fr");
	assert_string_equal(get(in, "telephone"), "0612345678");
	assert_string_equal(get(base, "nom_usage"), "Durand"); /* base untouched */
	json_decref(in);

	in = read_ok("{\"prenoms\": [\"Zoé\"]}", base);
	assert_string_equal(get(in, "prenom1"), "Zoé");
	assert_string_equal(get(in, "prenom2"), ""); /* the list is replaced */
	json_decref(in);
	json_decref(base);
}

static json_t *stored_person(void)
{
	return parse("{\"id\": 7, \"nom_naissance\": \"Lefèvre\", \"nom_usage\": null, "
	             "\"prenom1\": \"Jean\", \"prenom2\": null, \"prenom3\": \"Luc\", "
	             "\"sexe\": \"M\", \"date_naissance\": \"1985-03-00\", "
	             "\"lieu_type\": \"etranger\", \"commune_naissance\": null, "
	             "\"pays_naissance\": \"99134\", \"nationalite\": \"ue\", "
	             "\"telephone\": null, \"email\": \"j@l.fr\", \"adresse\": null, "
	             "\"code_postal\": \"75002\", \"commune\": \"Paris\", "
	             "\"created_at\": 1717147800, \"updated_at\": 1717151400}");
}

static void test_out(void **state)
{
	json_t *p = stored_person();
	json_t *o = person_json_out(p);
	char *s = json_dumps(o, JSON_COMPACT);
	assert_string_equal(
	    s, "{\"id\":7,\"nom_naissance\":\"Lefèvre\",\"nom_usage\":null,"
	       "\"prenoms\":[\"Jean\",\"Luc\"],\"sexe\":\"M\",\"date_naissance\":\"1985-03-00\","
	       "\"lieu_naissance\":{\"type\":\"etranger\",\"code\":\"99134\"},"
	       "\"nationalite\":\"ue\",\"telephone\":null,\"email\":\"j@l.fr\","
	       "\"adresse\":null,\"code_postal\":\"75002\",\"commune\":\"Paris\","
	       "\"created_at\":\"2024-05-31T09:30:00Z\",\"updated_at\":\"2024-05-31T10:30:00Z\"}");
	free(s);
	json_decref(o);
	json_decref(p);
}

/* What the API sends back can be sent again, once the read-only fields
 * are removed, and means the same values. */
static void test_round_trip(void **state)
{
	json_t *p = stored_person();
	json_t *o = person_json_out(p);
	json_object_del(o, "id");
	json_object_del(o, "created_at");
	json_object_del(o, "updated_at");
	json_t *errors = NULL;
	json_t *in = person_json_in(o, NULL, &errors);
	assert_non_null(in);
	json_t *want = person_json_input_of(p);
	assert_string_equal(get(in, "prenom2"), "Luc"); /* prénoms are packed */
	json_object_set_new(want, "prenom2", json_string("Luc"));
	json_object_set_new(want, "prenom3", json_string(""));
	assert_true(json_equal(in, want));
	json_decref(want);
	json_decref(in);
	json_decref(o);
	json_decref(p);
}

static void test_input_of(void **state)
{
	json_t *p = stored_person();
	json_t *in = person_json_input_of(p);
	assert_string_equal(get(in, "nom_usage"), "");
	assert_string_equal(get(in, "pays_naissance"), "99134");
	assert_null(json_object_get(in, "id"));
	json_decref(in);
	json_decref(p);
}

static void test_errors_renamed(void **state)
{
	json_t *form = parse("{\"nom_naissance\": \"a\", \"prenom1\": \"b\", \"prenom3\": \"c\", "
	                     "\"lieu_type\": \"d\", \"pays_naissance\": \"e\", "
	                     "\"commune_naissance\": \"f\"}");
	json_t *api = person_json_errors(form);
	assert_string_equal(get(api, "nom_naissance"), "a");
	assert_string_equal(get(api, "prenoms[0]"), "b");
	assert_string_equal(get(api, "prenoms[2]"), "c");
	assert_string_equal(get(api, "lieu_naissance.type"), "d");
	assert_string_equal(get(api, "lieu_naissance.code"), "e"); /* the first one kept */
	assert_int_equal(json_object_size(api), 5);
	json_decref(api);
	json_decref(form);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_full),
	    cmocka_unit_test(test_in_commune),
	    cmocka_unit_test(test_in_unknown_and_read_only),
	    cmocka_unit_test(test_in_wrong_types),
	    cmocka_unit_test(test_in_lieu_errors),
	    cmocka_unit_test(test_in_lieu_null_clears),
	    cmocka_unit_test(test_in_partial_update),
	    cmocka_unit_test(test_out),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_input_of),
	    cmocka_unit_test(test_errors_renamed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
