/* The person templates escape hostile values and keep the element ids the
 * HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "base/embedded.h"
#include "base/tmpl.h"
#include "views.h"

static json_t *evil_values(void)
{
	static const char *const fields[] = {
	    "nom_naissance", "nom_usage",      "prenom1",   "prenom2",           "prenom3",
	    "sexe",          "date_naissance", "lieu_type", "commune_naissance", "pays_naissance",
	    "nationalite",   "telephone",      "email",     "adresse",           "code_postal",
	    "commune",
	};
	json_t *v = json_object();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		json_object_set_new(v, fields[i], json_string(EVIL));
	return v;
}

static void test_form(void **state)
{
	struct buf out;
	json_t *values = evil_values();
	json_t *errors = json_copy(values);
	json_t *ctx =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:[{s:s, s:s}], s:{}}", "action",
	              "/usagers", "back_href", "/usagers", "back_label", EVIL, "submit_label", EVIL,
	              "csrf", EVIL, "values", values, "errors", errors, "has_errors", 1,
	              "error_list", "field", "nom_naissance", "message", EVIL, "sel");
	views_render("persons/form", ctx, &out);
	views_assert_has(&out, "id=\"person-form\"");
	views_assert_has(&out, "id=\"error-summary\"");
	views_assert_has(&out, "id=\"err-date_naissance\"");
	views_assert_has(&out, "aria-describedby=\"hint-date_naissance err-date_naissance\"");
	views_assert_has(&out, "id=\"sexe-f\"");
	views_assert_has(&out, "id=\"lieu_type-etranger\"");
	views_assert_has(&out,
	                 "JJ/MM/AAAA, ou MM/AAAA, ou AAAA si le jour ou le mois sont inconnus");
	buf_free(&out);
}

static void test_list(void **state)
{
	struct buf out;
	json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 4, "nom_naissance",
	                        EVIL, "nom_usage", EVIL, "prenoms", EVIL, "date_fr", EVIL,
	                        "commune", EVIL, "created_fr", EVIL);
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:[o], s:b, s:b, s:s, s:s, s:i, s:i, "
	                        "s:s, s:s, s:{s:s}}",
	                        "q", EVIL, "date_naissance", EVIL, "tri", EVIL, "ordre", EVIL,
	                        "rows", row, "has_rows", 1, "can_write", 1, "count_label", EVIL,
	                        "caption", EVIL, "page", 2, "pages", 3, "prev_href", EVIL,
	                        "next_href", EVIL, "errors", "date_naissance", EVIL);
	views_render("persons/list", ctx, &out);
	views_assert_has(&out, "id=\"person-search\"");
	views_assert_has(&out, "id=\"q\"");
	views_assert_has(&out, "id=\"person-results\"");
	views_assert_has(&out, "id=\"person-4\"");
	views_assert_has(&out, "id=\"person-new\"");
	views_assert_has(&out, "id=\"person-pagination\"");
	views_assert_has(&out, "id=\"err-date_naissance\"");
	buf_free(&out);
}

static void test_show(void **state)
{
	struct buf out;
	json_t *p = evil_values();
	json_object_set_new(p, "id", json_integer(4));
	json_t *ctx =
	    json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:[]}", "p", p,
	              "prenoms", EVIL, "date_fr", EVIL, "date_partial", EVIL, "sexe_label", EVIL,
	              "lieu_label", EVIL, "nationalite_label", EVIL, "has_address", 1, "can_write",
	              1, "created_fr", EVIL, "updated_fr", EVIL, "foyers");
	views_render("persons/show", ctx, &out);
	views_assert_has(&out, "id=\"person-identity\"");
	views_assert_has(&out, "id=\"person-edit\"");
	views_assert_has(&out, "id=\"person-households\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
