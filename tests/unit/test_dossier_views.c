/* The household, dossier and aid catalogue templates escape hostile values
 * and keep the element ids the HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
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

/* The "wf" context of page_workflow.c with hostile values everywhere: a
 * proposal, a decision, a deadline passed, and one action of each shape
 * (proposal with errors, decision, motif, refusal, refused transition). */
static json_t *evil_action(const char *to, const char *needs)
{
	json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{}, s:{s:s, s:s, s:s}}", "to",
	                      to, "form_id", "", "label", EVIL, "to_label", EVIL, "motif_label",
	                      EVIL, "confirm", EVIL, "irreversible", 1, "errors", "values",
	                      "montant", EVIL, "appreciation", EVIL, "motif", EVIL);
	char id[48];
	snprintf(id, sizeof(id), "action-%s", to);
	json_object_set_new(a, "form_id", json_string(id));
	if (needs)
		json_object_set_new(a, needs, json_true());
	json_t *opts =
	    json_pack("[{s:s, s:s, s:b}]", "code", strcmp(to, "decide") ? "accord" : "accorde",
	              "label", EVIL, "selected", 1);
	json_object_set_new(a, strcmp(to, "decide") ? "proposals" : "decisions", opts);
	return a;
}

static json_t *evil_workflow(void)
{
	json_t *prop = evil_action("instruit", "needs_proposal");
	json_object_set_new(prop, "errors",
	                    json_pack("{s:s, s:s, s:s}", "montant", EVIL, "proposition", EVIL,
	                              "appreciation", EVIL));
	json_t *refused = evil_action("cloture", "needs_motif");
	json_object_set_new(refused, "refusal", json_string(EVIL));
	json_t *notify = evil_action("notifie", NULL);
	json_object_set_new(notify, "errors", json_pack("{s:s}", "to", EVIL));
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:i}, s:{s:s, s:s, "
	                 "s:s, s:s, s:s, s:s, s:b}, s:b, s:[o, o, o, o]}",
	                 "depose_fr", EVIL, "due_fr", EVIL, "notified_fr", EVIL, "proposal", "code",
	                 EVIL, "label", EVIL, "by", EVIL, "at_fr", EVIL, "montant_fr", EVIL,
	                 "appreciation", EVIL, "evaluation_id", 4, "decision", "code", EVIL,
	                 "label", EVIL, "by", EVIL, "at_fr", EVIL, "montant_fr", EVIL, "motif",
	                 EVIL, "a_rapporter", 1, "has_actions", 1, "actions", prop,
	                 evil_action("decide", "needs_decision"), refused, notify);
}

static void test_my_dossiers(void **state)
{
	struct buf out;
	json_t *row =
	    json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", 9, "numero", EVIL,
	              "demandeur", EVIL, "aide", EVIL, "state", EVIL, "state_label", EVIL,
	              "waiting", EVIL, "due_fr", EVIL, "overdue", 1, "late_days", EVIL);
	json_t *ctx = json_pack("{s:[o], s:b, s:i}", "rows", row, "has_rows", 1, "late", 1);
	views_render("workflow/mine", ctx, &out);
	views_assert_has(&out, "id=\"mine\"");
	views_assert_has(&out, "id=\"mine-9\"");
	views_assert_has(&out, "data-overdue=\"true\"");
	views_assert_has(&out, "id=\"mine-late\"");
	buf_free(&out);
}

static void test_workflow_settings_and_aid(void **state)
{
	struct buf out;
	json_t *ctx =
	    json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:o}", "csrf", EVIL, "values", "quatre_yeux",
	              EVIL, "delai_instruction", EVIL, "delai_pieces", EVIL, "delai_notification",
	              EVIL, "errors", evil_errors("delai_pieces"));
	views_render("workflow/settings", ctx, &out);
	views_assert_has(&out, "id=\"quatre_yeux\"");
	views_assert_has(&out, "checked");
	views_assert_has(&out, "id=\"err-delai_pieces\"");
	buf_free(&out);
	ctx = json_pack("{s:s, s:{s:b, s:s}}", "csrf", EVIL, "urgence", "on", 1, "aid_id", EVIL);
	views_render("workflow/aid", ctx, &out);
	views_assert_has(&out, "id=\"aid-urgence-form\"");
	views_assert_has(&out, "name=\"urgence\" value=\"0\"");
	buf_free(&out);
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
	json_object_set_new(ctx, "wf", evil_workflow());
	json_object_set_new(json_object_get(ctx, "d"), "overdue", json_true());
	json_object_set_new(json_object_get(ctx, "d"), "late_days", json_string(EVIL));
	views_render("dossiers/show", ctx, &out);
	views_assert_has(&out, "id=\"dossier-header\"");
	views_assert_has(&out, "id=\"dossier-numero\"");
	views_assert_has(&out, "id=\"workflow-summary\"");
	views_assert_has(&out, "id=\"wf-proposal\"");
	views_assert_has(&out, "id=\"wf-decision\"");
	views_assert_has(&out, "id=\"wf-a-rapporter\"");
	views_assert_has(&out, "id=\"wf-overdue\"");
	views_assert_has(&out, "id=\"action-instruit\"");
	views_assert_has(&out, "id=\"action-instruit-proposition-accord\"");
	views_assert_has(&out, "id=\"err-action-instruit-montant\"");
	views_assert_has(&out, "id=\"action-decide-decision-accorde\"");
	views_assert_has(&out, "id=\"action-decide-motif\"");
	views_assert_has(&out, "id=\"action-cloture-refusal\"");
	views_assert_has(&out, "id=\"action-notifie-to\"");
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
	assert_null(strstr(buf_cstr(&out), "id=\"workflow-actions-title\""));
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
	    cmocka_unit_test(test_my_dossiers),
	    cmocka_unit_test(test_workflow_settings_and_aid),
	    cmocka_unit_test(test_aid_types),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
