/* The household, dossier and aid catalogue templates escape hostile values
 * and keep the element ids the HTTP and browser tests rely on. */
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

static json_t *evil_errors(const char *field)
{
	return json_pack("{s:s}", field, EVIL);
}

static json_t *error_list(const char *field, const char *anchor)
{
	json_t *e = json_pack("{s:s, s:s}", "field", field, "message", EVIL);
	if (anchor)
		json_object_set_new(e, "anchor", json_string(anchor));
	return json_pack("[o]", e);
}

static void test_household_list(void **state)
{
	struct buf out;
	json_t *row = json_pack("{s:i, s:s, s:s, s:i, s:s}", "id", 3, "label", EVIL, "demandeur",
	                        EVIL, "members", 2, "created_fr", EVIL);
	json_t *ctx = json_pack("{s:[o], s:b, s:b, s:s, s:s, s:i, s:i, s:s, s:s, s:{s:{s:s}}}",
	                        "rows", row, "has_rows", 1, "can_write", 1, "count_label", EVIL,
	                        "caption", EVIL, "page", 2, "pages", 3, "prev_href", EVIL,
	                        "next_href", EVIL, "sort", "libelle", "href", EVIL);
	views_render("households/list", ctx, &out);
	views_assert_has(&out, "id=\"household-list\"");
	views_assert_has(&out, "id=\"household-3\"");
	views_assert_has(&out, "id=\"household-new\"");
	views_assert_has(&out, "id=\"household-prev\"");
	views_assert_has(&out, "id=\"household-next\"");
	views_assert_has(&out, "id=\"sort-libelle\"");
	buf_free(&out);
}

static void test_household_new(void **state)
{
	struct buf out;
	json_t *person = json_pack("{s:i, s:s, s:s, s:s, s:s, s:[{s:i, s:s, s:s}]}", "id", 5, "nom",
	                           EVIL, "prenom", EVIL, "born", EVIL, "default_label", EVIL,
	                           "households", "id", 2, "label", EVIL, "relation_label", EVIL);
	json_t *ctx =
	    json_pack("{s:o, s:b, s:s, s:o, s:o, s:{s:s, s:s}}", "person", person, "has_households",
	              1, "csrf", EVIL, "errors", evil_errors("label"), "error_list",
	              error_list("label", NULL), "values", "label", EVIL, "date_entree", EVIL);
	views_render("households/new", ctx, &out);
	views_assert_has(&out, "id=\"household-create\"");
	views_assert_has(&out, "id=\"err-label\"");
	views_assert_has(&out, "id=\"date_entree\"");
	views_assert_has(&out, "id=\"household-new-existing\"");
	buf_free(&out);
	ctx = json_pack("{s:s, s:b, s:b, s:s, s:[{s:i, s:s, s:s, s:s}]}", "q", EVIL, "searched", 1,
	                "has_candidates", 1, "count_label", EVIL, "candidates", "id", 7, "nom",
	                EVIL, "prenom", EVIL, "born", EVIL);
	views_render("households/new", ctx, &out);
	views_assert_has(&out, "id=\"household-pick\"");
	views_assert_has(&out, "id=\"candidate-7-choose\"");
	buf_free(&out);
}

static void test_household_show(void **state)
{
	struct buf out;
	json_t *member =
	    json_pack("{s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, "
	              "s:s}",
	              "id", 9, "person_id", 5, "nom", EVIL, "prenom", EVIL, "relation", EVIL,
	              "relation_label", EVIL, "naissance_fr", EVIL, "entree_fr", EVIL, "sortie_fr",
	              EVIL, "current", 1, "can_exit", 1, "exit_error", EVIL, "exit_value", EVIL);
	json_t *cand = json_pack("{s:i, s:s, s:s, s:s, s:b, s:s, s:[{s:s, s:s, s:b}], s:o}", "id",
	                         7, "nom", EVIL, "prenom", EVIL, "born", EVIL, "member", 0,
	                         "date_entree", EVIL, "relations", "code", EVIL, "label", EVIL,
	                         "selected", 1, "errs", evil_errors("relation"));
	json_t *dossier =
	    json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 4, "numero", EVIL, "aide", EVIL,
	              "demandeur", EVIL, "state", EVIL, "state_label", EVIL, "created_fr", EVIL);
	json_t *ctx = json_pack("{s:{s:i, s:s}, s:[o], s:i, s:b, s:b, s:b, s:b, s:[o], s:[o], "
	                        "s:s, s:o, s:o, s:s}",
	                        "household", "id", 3, "created_fr", EVIL, "members", member,
	                        "current_count", 1, "can_write", 1, "can_read_dossiers", 1,
	                        "can_create_dossier", 1, "has_dossiers", 1, "dossiers", dossier,
	                        "candidates", cand, "csrf", EVIL, "errors", evil_errors("relation"),
	                        "error_list", error_list("relation", "relation-7"), "q", EVIL);
	views_render("households/show", ctx, &out);
	views_assert_has(&out, "id=\"household-members\"");
	views_assert_has(&out, "id=\"member-9-exit-form\"");
	views_assert_has(&out, "id=\"err-date_sortie-9\"");
	views_assert_has(&out, "id=\"member-q\"");
	views_assert_has(&out, "id=\"candidate-7-form\"");
	views_assert_has(&out, "id=\"err-relation-7\"");
	views_assert_has(&out, "href=\"#relation-7\"");
	views_assert_has(&out, "id=\"dossier-new\"");
	views_assert_has(&out, "id=\"household-dossier-4\"");
	buf_free(&out);
}

static void test_dossier_list(void **state)
{
	struct buf out;
	json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 4, "numero", EVIL,
	                        "created_fr", EVIL, "demandeur", EVIL, "aide", EVIL, "state", EVIL,
	                        "state_label", EVIL, "montant_fr", EVIL);
	json_t *ctx =
	    json_pack("{s:[o], s:b, s:[{s:s, s:s, s:b}], s:[{s:i, s:s, s:b, s:b}], "
	              "s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:o, s:o}",
	              "rows", row, "has_rows", 1, "states", "state", EVIL, "label", EVIL,
	              "selected", 1, "aides", "id", 2, "label", EVIL, "active", 0, "selected", 1,
	              "tri", EVIL, "ordre", EVIL, "count_label", EVIL, "caption", EVIL, "page", 1,
	              "pages", 2, "prev_href", EVIL, "next_href", EVIL, "errors",
	              evil_errors("etat"), "error_list", error_list("etat", NULL));
	views_render("dossiers/list", ctx, &out);
	views_assert_has(&out, "id=\"dossier-filter\"");
	views_assert_has(&out, "id=\"dossier-list\"");
	views_assert_has(&out, "id=\"dossier-4\"");
	views_assert_has(&out, "id=\"err-etat\"");
	views_assert_has(&out, "id=\"dossier-next\"");
	buf_free(&out);
}

static void test_dossier_new(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:{s:i, s:s}, s:[{s:i, s:s, s:s, s:s, s:b}], s:[{s:i, s:s, "
	                        "s:b}], s:b, s:s, s:o, s:o, s:{s:s, s:s}}",
	                        "household", "id", 3, "label", EVIL, "applicants", "person_id", 5,
	                        "nom", EVIL, "prenom", EVIL, "relation_label", EVIL, "selected", 1,
	                        "aides", "id", 2, "label", EVIL, "selected", 1, "has_aides", 1,
	                        "csrf", EVIL, "errors", evil_errors("montant_demande"),
	                        "error_list", error_list("montant_demande", NULL), "values",
	                        "motif", EVIL, "montant_demande", EVIL);
	views_render("dossiers/new", ctx, &out);
	views_assert_has(&out, "id=\"dossier-create\"");
	views_assert_has(&out, "id=\"err-montant_demande\"");
	views_assert_has(&out, "aria-describedby=\"hint-montant_demande err-montant_demande\"");
	buf_free(&out);
}

static json_t *evil_dossier(void)
{
	return json_pack("{s:i, s:s, s:s, s:i, s:s, s:i, s:s, s:s, s:s, s:s, s:i, s:b, s:b, "
	                 "s:[{s:s, s:s}]}",
	                 "id", 4, "numero", EVIL, "aide", EVIL, "applicant_id", 5, "demandeur",
	                 EVIL, "household_id", 3, "household_label", EVIL, "state", EVIL,
	                 "state_label", EVIL, "motif", EVIL, "montant_demande", 100, "detail", 1,
	                 "can_instruct", 1, "transitions", "state", EVIL, "label", EVIL);
}

static void test_dossier_show(void **state)
{
	struct buf out;
	json_t *line =
	    json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "id", 8, "kind", EVIL, "kind_label", EVIL,
	              "category_label", EVIL, "label", EVIL, "montant_fr", EVIL);
	json_t *event =
	    json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 6, "kind", EVIL, "kind_label",
	              EVIL, "detail", EVIL, "actor", EVIL, "at_fr", EVIL, "at_iso", EVIL);
	json_t *ctx = json_pack(
	    "{s:o, s:s, s:s, s:b, s:b, s:[o], s:{s:s, s:s, s:s}, s:[o], s:s, s:{s:[{s:s, "
	    "s:s}], s:[]}, s:o, s:o, s:o, s:{s:s}}",
	    "d", evil_dossier(), "montant_fr", EVIL, "created_fr", EVIL, "has_transitions", 1,
	    "has_lines", 1, "lines", line, "totals", "ressources_fr", EVIL, "charges_fr", EVIL,
	    "reste_a_vivre_fr", EVIL, "events", event, "csrf", EVIL, "line_types", "ressources",
	    "code", EVIL, "label", EVIL, "charges", "errors", evil_errors("label"), "error_list",
	    error_list("label", "line-label"), "ligne_errors", evil_errors("label"), "ligne_values",
	    "label", EVIL);
	views_render("dossiers/show", ctx, &out);
	views_assert_has(&out, "id=\"dossier-header\"");
	views_assert_has(&out, "id=\"dossier-numero\"");
	views_assert_has(&out, "id=\"dossier-state-form\"");
	views_assert_has(&out, "id=\"etat\"");
	views_assert_has(&out, "id=\"dossier-lines\"");
	views_assert_has(&out, "id=\"line-8\"");
	views_assert_has(&out, "id=\"reste-a-vivre\"");
	views_assert_has(&out, "id=\"line-form\"");
	views_assert_has(&out, "id=\"err-line-label\"");
	views_assert_has(&out, "href=\"#line-label\"");
	views_assert_has(&out, "id=\"note-form\"");
	views_assert_has(&out, "id=\"dossier-timeline\"");
	views_assert_has(&out, "id=\"event-6\"");
	buf_free(&out);
}

static void test_dossier_show_reception(void **state)
{
	struct buf out;
	json_t *d = evil_dossier();
	json_object_set_new(d, "detail", json_false());
	json_object_set_new(d, "can_instruct", json_false());
	json_t *ctx = json_pack("{s:o, s:s, s:s, s:b, s:[]}", "d", d, "montant_fr", EVIL,
	                        "created_fr", EVIL, "has_transitions", 0, "events");
	views_render("dossiers/show", ctx, &out);
	assert_null(strstr(buf_cstr(&out), "id=\"dossier-lines\""));
	assert_null(strstr(buf_cstr(&out), "id=\"note-form\""));
	assert_null(strstr(buf_cstr(&out), "id=\"dossier-state-form\""));
	views_assert_has(&out, "id=\"dossier-montant\"");
	buf_free(&out);
}

static void test_aid_types(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:i, s:[{s:i, s:s, s:s, s:s, s:b}, {s:i, s:s, s:s, s:s, s:b}], "
	                        "s:s, s:o, s:o, s:{s:s, s:s, s:s}}",
	                        "count", 2, "aides", "id", 1, "code", EVIL, "label", EVIL,
	                        "description", EVIL, "active", 1, "id", 2, "code", EVIL, "label",
	                        EVIL, "description", EVIL, "active", 0, "csrf", EVIL, "errors",
	                        evil_errors("code"), "error_list", error_list("code", NULL),
	                        "values", "code", EVIL, "label", EVIL, "description", EVIL);
	views_render("aid_types/list", ctx, &out);
	views_assert_has(&out, "id=\"aid-types\"");
	views_assert_has(&out, "id=\"aid-1-deactivate\"");
	views_assert_has(&out, "id=\"aid-2-reactivate\"");
	views_assert_has(&out, "id=\"aid-create\"");
	views_assert_has(&out, "id=\"err-code\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_household_list),
	    cmocka_unit_test(test_household_new),
	    cmocka_unit_test(test_household_show),
	    cmocka_unit_test(test_dossier_list),
	    cmocka_unit_test(test_dossier_new),
	    cmocka_unit_test(test_dossier_show),
	    cmocka_unit_test(test_dossier_show_reception),
	    cmocka_unit_test(test_aid_types),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
