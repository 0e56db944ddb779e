/* The letter templates (dossier section, preparing a letter, the
 * administrateur's letterhead and template pages) escape hostile values,
 * which come from agents (motives, pièces, templates) as well as from the
 * CCAS's settings, and keep the element ids the HTTP tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"

static void expect_ids(struct buf *out, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		views_assert_has(out, ids[i]);
}

static void test_section(void **state)
{
	struct buf out;
	json_t *letter = json_pack("{s:i, s:i, s:s, s:s, s:i, s:s, s:s, s:s}", "id", 3,
	                           "dossier_id", 9, "kind", EVIL, "label", EVIL, "numero", 1,
	                           "created_fr", EVIL, "created_by_label", EVIL, "size_fr", EVIL);
	json_t *c =
	    json_pack("{s:i, s:b, s:[o], s:b, s:[{s:s, s:s}]}", "dossier_id", 9, "has_letters", 1,
	              "letters", letter, "has_kinds", 1, "kinds", "kind", EVIL, "label", EVIL);
	static const char *const ids[] = {"id=\"courriers\"",        "id=\"letters-table\"",
	                                  "id=\"letter-3\"",         "id=\"letter-download-3\"",
	                                  "id=\"letter-kind-form\"", "id=\"letter-kind\""};

	views_render("courriers/section", json_pack("{s:o}", "courriers", c), &out);
	expect_ids(&out, ids, sizeof ids / sizeof ids[0]);
	buf_free(&out);
	c = json_pack("{s:i, s:b, s:b, s:[{s:s, s:s}]}", "dossier_id", 9, "has_letters", 0,
	              "has_kinds", 1, "kinds", "kind", EVIL, "label", EVIL);
	views_render("courriers/section", json_pack("{s:o}", "courriers", c), &out);
	views_assert_has(&out, "id=\"letters-none\"");
	assert_null(strstr(out.data, "letters-table"));
	buf_free(&out);
}

static void test_form(void **state)
{
	static const char *const fields[] = {"pieces",       "date_limite", "motif",   "montant",
	                                     "beneficiaire", "modalites",   "template"};
	json_t *f = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "dossier_id", 9, "numero",
	                      EVIL, "aide", EVIL, "demandeur", EVIL, "kind", EVIL, "label", EVIL,
	                      "delai_pieces", EVIL);
	json_t *errors = json_object(), *values = json_object();
	struct buf out;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		json_object_set_new(errors, fields[i], json_string(EVIL));
		json_object_set_new(values, fields[i], json_string(EVIL));
	}
	for (int kind = 0; kind < 3; kind++) {
		json_t *ctx = json_pack("{s:O, s:b, s:b, s:b, s:O, s:O, s:s}", "f", f, "is_pieces",
		                        kind == 0, "is_accord", kind == 1, "is_motif", kind == 2,
		                        "errors", errors, "values", values, "csrf", EVIL);
		json_object_set_new(ctx, "error_list",
		                    json_pack("[{s:s, s:s}]", "field", EVIL, "message", EVIL));
		views_render("courriers/new", ctx, &out);
		views_assert_has(&out, "id=\"letter-form\"");
		views_assert_has(&out, "class=\"error-summary\" role=\"alert\"");
		views_assert_has(&out, kind == 0   ? "id=\"err-pieces\""
		                       : kind == 1 ? "id=\"err-montant\""
		                                   : "id=\"err-motif\"");
		views_assert_has(&out, "aria-invalid=\"true\"");
		buf_free(&out);
	}
	json_decref(f);
	json_decref(errors);
	json_decref(values);
}

static void test_admin(void **state)
{
	static const char *const fields[] = {"adresse", "contact", "ville", "signataire",
	                                     "tribunal"};
	json_t *values = json_object(), *errors = json_object();
	struct buf out;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		json_object_set_new(values, fields[i], json_string(EVIL));
		json_object_set_new(errors, fields[i], json_string(EVIL));
	}
	json_t *ctx = json_pack("{s:o, s:o, s:{s:s, s:s}, s:[{s:s, s:s, s:b}], s:s}", "values",
	                        values, "errors", errors, "settings", "signataire_effectif", EVIL,
	                        "tribunal_effectif", EVIL, "templates", "kind", EVIL, "label", EVIL,
	                        "custom", 1, "csrf", EVIL);
	views_render("courriers/admin", ctx, &out);
	views_assert_has(&out, "id=\"letterhead-form\"");
	views_assert_has(&out, "id=\"templates-table\"");
	views_assert_has(&out, "id=\"err-tribunal\"");
	views_assert_has(&out, "data-custom=\"1\"");
	buf_free(&out);
}

static void test_template(void **state)
{
	json_t *ctx =
	    json_pack("{s:{s:s, s:s, s:s, s:s, s:b}, s:[{s:s, s:s}], s:b, s:{s:s}, s:{s:s}, s:s}",
	              "t", "kind", EVIL, "label", EVIL, "body", EVIL, "default_body", EVIL,
	              "custom", 1, "variables", "name", EVIL, "description", EVIL, "is_recours", 1,
	              "values", "body", EVIL, "errors", "body", EVIL, "csrf", EVIL);
	struct buf out;

	views_render("courriers/template", ctx, &out);
	views_assert_has(&out, "id=\"template-form\"");
	views_assert_has(&out, "id=\"template-preview\"");
	views_assert_has(&out, "id=\"template-reset-form\"");
	views_assert_has(&out, "id=\"err-body\"");
	views_assert_has(&out, "id=\"template-variables\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_section),
	    cmocka_unit_test(test_form),
	    cmocka_unit_test(test_admin),
	    cmocka_unit_test(test_template),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
