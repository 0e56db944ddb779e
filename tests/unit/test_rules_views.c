/* The aid rule templates (catalogue aid page, rule editor and tester,
 * import, the dossier's evaluation) and web/result_view escape hostile
 * values coming from rule documents, situations and explanations, and keep
 * the element ids the HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"
#include "web/result_view.h"

static json_t *evil_result(void)
{
	return json_pack(
	    "{s:s, s:i, s:[s], s:s, s:{s:[{s:s, s:s, s:{s:s}, s:b}], s:[{s:s, s:s, s:s, s:s}], "
	    "s:[{s:s, s:s, s:s, s:s}], s:s, s:[s]}}",
	    "issue", "eligible", "montant_centimes", 12345, "manquants", "qf_caf", "erreur", EVIL,
	    "explication", "conditions", "libelle", EVIL, "expression", EVIL, "valeurs", "x", EVIL,
	    "resultat", 1, "calculs", "nom", "q", "libelle", EVIL, "expression", EVIL, "valeur",
	    EVIL, "baremes", "bareme", EVIL, "libelle", EVIL, "tranche_texte", EVIL, "resultat",
	    EVIL, "formule", EVIL, "texte", EVIL);
}

static void test_result_view(void **state)
{
	json_t *r = evil_result();
	json_t *v = result_view(r);
	assert_string_equal(json_string_value(json_object_get(v, "issue_label")), "Éligible");
	assert_true(json_is_true(json_object_get(v, "has_montant")));
	assert_non_null(strstr(json_string_value(json_object_get(v, "montant_fr")), "123,45"));
	assert_true(json_is_true(json_object_get(v, "has_conditions")));
	assert_true(json_is_true(json_object_get(v, "has_calculs")));
	json_decref(v);
	json_decref(r);
	/* nothing at all: every key still set, nothing read from outer contexts */
	v = result_view(NULL);
	assert_string_equal(json_string_value(json_object_get(v, "issue")), "indetermine");
	assert_false(json_is_true(json_object_get(v, "has_montant")));
	assert_string_equal(json_string_value(json_object_get(v, "formule")), "");
	json_decref(v);
	json_t *vars = json_pack("{s:s, s:i, s:b, s:s}", "qf_caf", "2650/3", "nb_personnes", 4,
	                         "en_couple", 1, "inconnue", EVIL);
	json_t *orig = json_pack("{s:s}", "qf_caf", "certifie");
	v = variables_view(vars, orig);
	assert_int_equal(json_array_size(v), 4);
	json_t *first = NULL, *x;
	size_t i;
	json_array_foreach(v, i, x)
	{
		if (strcmp(json_string_value(json_object_get(x, "name")), "qf_caf") == 0)
			first = x;
	}
	assert_non_null(first);
	/* variables unknown to situation.h come last, named as they are */
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 3), "name")),
	                    "inconnue");
	assert_string_equal(json_string_value(json_object_get(first, "value")), "883,33");
	assert_string_equal(json_string_value(json_object_get(first, "origine_label")),
	                    "Certifiée (État)");
	json_decref(v);
	json_decref(vars);
	json_decref(orig);
}

static json_t *evil_evaluation(void)
{
	json_t *r = evil_result();
	json_t *vars = json_pack("{s:s}", "commune_residence", EVIL);
	json_t *cur =
	    json_pack("{s:{s:i, s:s, s:s}, s:s, s:o, s:b, s:o, s:b, s:[{s:s, s:s, "
	              "s:s, s:s}]}",
	              "version", "numero", 2, "du_fr", EVIL, "au_fr", EVIL, "message", EVIL, "view",
	              result_view(r), "has_variables", 1, "variables", variables_view(vars, NULL),
	              "has_sources", 1, "sources", "donnee", EVIL, "libelle", EVIL, "origine",
	              "declare", "origine_label", EVIL, "detail", EVIL);
	json_t *stored =
	    json_pack("{s:s, s:s, s:i, s:s, s:o}", "created_fr", EVIL, "created_by_label", EVIL,
	              "version_numero", 1, "date_reference_fr", EVIL, "view", result_view(r));
	json_decref(r);
	json_decref(vars);
	return json_pack("{s:b, s:b, s:b, s:s, s:i, s:o, s:o}", "decided", 1, "can_evaluate", 1,
	                 "changed", 1, "date_fr", EVIL, "dossier_id", 7, "current", cur, "stored",
	                 stored);
}

static void test_evaluation_section(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:o, s:s}", "evaluation", evil_evaluation(), "csrf", EVIL);
	views_render("evaluations/section", ctx, &out);
	views_assert_has(&out, "id=\"evaluation\"");
	views_assert_has(&out, "id=\"evaluation-current\"");
	views_assert_has(&out, "id=\"evaluation-stored-meta\"");
	views_assert_has(&out, "id=\"evaluation-form\"");
	views_assert_has(&out, "id=\"evaluation-changed\"");
	views_assert_has(&out, "id=\"evaluation-decided\"");
	views_assert_has(&out, "data-issue=\"eligible\"");
	views_assert_has(&out, "123,45");
	buf_free(&out);
}

static json_t *evil_aid(void)
{
	return json_pack("{s:i, s:s, s:s, s:b, s:[{s:i, s:i, s:s, s:s, s:s, s:s, s:i, s:s, s:b, "
	                 "s:b}]}",
	                 "id", 4, "code", EVIL, "label", EVIL, "active", 1, "versions", "id", 9,
	                 "numero", 1, "du_fr", EVIL, "au_fr", EVIL, "status", "actif",
	                 "status_label", EVIL, "uses", 3, "created_by_label", EVIL, "can_activate",
	                 1, "can_retire", 1);
}

static void test_aid_show(void **state)
{
	struct buf out;
	json_t *ctx = json_pack(
	    "{s:o, s:i, s:[{s:s, s:s, s:b}], s:s, s:{s:s}, s:[{s:s, s:s}], s:{s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s}}",
	    "aid", evil_aid(), "version_count", 1, "categories", "code", EVIL, "label", EVIL,
	    "selected", 1, "csrf", EVIL, "errors", "label", EVIL, "error_list", "field", "label",
	    "message", EVIL, "values", "label", EVIL, "description", EVIL, "deliberation_numero",
	    EVIL, "deliberation_date", EVIL, "categorie", EVIL, "champs_text", EVIL, "pieces_text",
	    EVIL);
	views_render("aid_types/show", ctx, &out);
	views_assert_has(&out, "id=\"rule-versions\"");
	views_assert_has(&out, "id=\"version-9\"");
	views_assert_has(&out, "id=\"version-9-activate\"");
	views_assert_has(&out, "id=\"version-9-retire\"");
	views_assert_has(&out, "id=\"version-new\"");
	views_assert_has(&out, "id=\"aid-export\"");
	views_assert_has(&out, "id=\"err-label\"");
	buf_free(&out);
}

static void test_version_editor(void **state)
{
	struct buf out;
	json_t *r = evil_result();
	json_t *test =
	    json_pack("{s:o, s:b, s:[]}", "view", result_view(r), "has_variables", 0, "variables");
	json_decref(r);
	json_t *ctx = json_pack(
	    "{s:{s:i, s:s}, s:{s:i, s:i, s:s, s:s, s:i, s:s}, s:b, s:b, s:b, s:b, s:s, s:s, "
	    "s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:s}, s:[{s:s, s:s}], s:o}",
	    "aid", "id", 4, "label", EVIL, "version", "id", 9, "numero", 2, "status_label", EVIL,
	    "status_label_lower", EVIL, "uses", 0, "au", EVIL, "editable", 1, "can_activate", 1,
	    "can_close", 1, "can_retire", 1, "action", EVIL, "csrf", EVIL, "values", "du", EVIL,
	    "au", EVIL, "document", EVIL, "note", EVIL, "situation", EVIL, "date_test", EVIL,
	    "errors", "document", EVIL, "error_list", "field", "document", "message", EVIL, "test",
	    test);
	views_render("aid_types/version", ctx, &out);
	views_assert_has(&out, "id=\"document\"");
	views_assert_has(&out, "data-validate-url=\"/admin/aides/validation\"");
	views_assert_has(&out, "id=\"document-status\"");
	views_assert_has(&out, "id=\"err-document\"");
	views_assert_has(&out, "id=\"tester-submit\"");
	views_assert_has(&out, "formaction=\"/admin/aides/4/tester\"");
	views_assert_has(&out, "id=\"tester-result-title\"");
	views_assert_has(&out, "id=\"version-save\"");
	views_assert_has(&out, "id=\"version-activate\"");
	views_assert_has(&out, "id=\"version-close\"");
	views_assert_has(&out, "id=\"version-retire\"");
	buf_free(&out);
}

static void test_import(void **state)
{
	struct buf out;
	json_t *ctx =
	    json_pack("{s:s, s:{s:s}, s:[{s:s, s:s, s:s}], s:{s:s}}", "csrf", EVIL, "errors",
	              "versions/0/montant", EVIL, "error_list", "field", "versions/0/montant",
	              "message", EVIL, "anchor", "document", "values", "document", EVIL);
	views_render("aid_types/import", ctx, &out);
	views_assert_has(&out, "id=\"import-form\"");
	views_assert_has(&out, "id=\"import-file\"");
	views_assert_has(&out, "href=\"#document\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_result_view), cmocka_unit_test(test_evaluation_section),
	    cmocka_unit_test(test_aid_show),    cmocka_unit_test(test_version_editor),
	    cmocka_unit_test(test_import),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
