/* The commission templates escape hostile values (a place, a member, a
 * motive or a vote typed by an agent) and keep the element ids the HTTP and
 * browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"

static json_t *error_list(const char *field)
{
	return json_pack("[{s:s, s:s}]", "field", field, "message", EVIL);
}

static void test_list(void **state)
{
	struct buf out;
	json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:b}", "id", 4, "date_fr",
	                        EVIL, "heure", EVIL, "lieu", EVIL, "state", EVIL, "state_label",
	                        EVIL, "nb_items", 2, "nb_decides", 1, "has_pv", 1);
	json_t *ctx = json_pack("{s:[o], s:b, s:b, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s}",
	                        "rows", row, "has_rows", 1, "can_manage", 1, "count_label", EVIL,
	                        "caption", EVIL, "sort_href", EVIL, "sort_aria", EVIL, "sort_arrow",
	                        EVIL, "page", 1, "pages", 2, "prev_href", EVIL, "next_href", EVIL);
	views_render("commission/list", ctx, &out);
	views_assert_has(&out, "id=\"commission-list\"");
	views_assert_has(&out, "id=\"commission-4\"");
	views_assert_has(&out, "id=\"commission-new\"");
	views_assert_has(&out, "href=\"/commissions/4/proces-verbal.pdf\"");
	buf_free(&out);
}

static void test_form(void **state)
{
	struct buf out;
	json_t *ctx = json_pack(
	    "{s:s, s:b, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:o}", "action",
	    EVIL, "is_edit", 1, "cancel", EVIL, "csrf", EVIL, "values", "date_seance", EVIL,
	    "heure", EVIL, "lieu", EVIL, "membres", EVIL, "errors", "date_seance", EVIL, "heure",
	    EVIL, "lieu", EVIL, "membres", EVIL, "error_list", error_list("lieu"));
	views_render("commission/form", ctx, &out);
	views_assert_has(&out, "id=\"commission-form\"");
	views_assert_has(&out, "id=\"err-date_seance\"");
	views_assert_has(&out, "id=\"err-membres\"");
	views_assert_has(&out, "id=\"commission-submit\"");
	buf_free(&out);
}

static json_t *evil_item(void)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s, s:b}], s:s, s:s, s:s, "
	                      "s:s, s:s}",
	                      "item", "item_7", "decision", "decision_7", "montant", "montant_7",
	                      "motif", "motif_7", "checked", 1, "options", "code", EVIL, "label",
	                      EVIL, "selected", 1, "montant_value", EVIL, "motif_value", EVIL,
	                      "err_decision", EVIL, "err_montant", EVIL, "err_motif", EVIL);
	return json_pack("{s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	                 "s:s, s:b, s:b, s:b, s:o}",
	                 "id", 7, "ordre", 1, "dossier_id", 12, "numero", EVIL, "state", "en_x",
	                 "state_label", EVIL, "demandeur", EVIL, "aide", EVIL, "montant_demande_fr",
	                 EVIL, "proposition_label", EVIL, "montant_propose_fr", EVIL,
	                 "decision_label", EVIL, "montant_fr", EVIL, "motif", EVIL, "vote", EVIL,
	                 "a_rapporter", 1, "decidable", 1, "removable", 1, "f", f);
}

static void test_show(void **state)
{
	struct buf out;
	json_t *c = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:[{s:s, s:s}], s:b, s:b, "
	                      "s:b, s:[o]}",
	                      "id", 3, "date_long", EVIL, "date_fr", EVIL, "heure", EVIL, "lieu",
	                      EVIL, "state", "tenue", "state_label", EVIL, "has_membres", 1,
	                      "membres", "nom", EVIL, "qualite", EVIL, "open", 1, "can_manage", 1,
	                      "has_pv", 1, "items", evil_item());
	json_t *cand =
	    json_pack("[{s:i, s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:s}]", "id", 15, "field",
	              "dossier_15", "checked", 1, "numero", EVIL, "demandeur", EVIL, "aide", EVIL,
	              "state_label", EVIL, "a_rapporter", 1, "montant_demande_fr", EVIL);
	json_t *ctx = json_pack("{s:o, s:b, s:b, s:b, s:b, s:b, s:o, s:i, s:s, s:s, s:{s:s, s:s, "
	                        "s:s, s:s}, s:o}",
	                        "c", c, "has_items", 1, "batch", 1, "can_add", 1, "can_close", 1,
	                        "has_candidates", 1, "candidates", cand, "pv_size_kb", 3, "csrf",
	                        EVIL, "vote_value", EVIL, "errors", "lot", EVIL, "vote", EVIL,
	                        "dossiers", EVIL, "cloture", EVIL, "error_list", error_list("lot"));
	views_render("commission/show", ctx, &out);
	for (const char *const *id =
	         (const char *const[]){"id=\"session-details\"", "id=\"agenda\"", "id=\"item-7\"",
	                               "id=\"item_7\"", "id=\"err-motif_7\"", "id=\"batch-form\"",
	                               "id=\"lot\"", "id=\"batch-submit\"", "id=\"remove-7\"",
	                               "id=\"item-7-decide\"", "id=\"add-form\"",
	                               "id=\"dossier_15\"", "id=\"close-form\"", "id=\"cloture\"",
	                               "id=\"session-pv\"", "id=\"session-anonymous\"", NULL};
	     *id; id++)
		views_assert_has(&out, *id);
	buf_free(&out);
}

static void test_decide(void **state)
{
	struct buf out;
	json_t *it = json_pack(
	    "{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "dossier_id", 12, "numero", EVIL,
	    "demandeur", EVIL, "aide", EVIL, "montant_demande_fr", EVIL, "proposition_label", EVIL,
	    "montant_propose_fr", EVIL, "appreciation", EVIL, "state_label", EVIL, "decidable", 1);
	json_t *ctx =
	    json_pack("{s:o, s:[{s:s, s:s, s:b}], s:s, s:s, s:s, s:{s:s, s:s, s:s}, "
	              "s:{s:s, s:s, s:s, s:s}, s:o}",
	              "it", it, "options", "code", EVIL, "label", EVIL, "selected", 1,
	              "session_url", EVIL, "action", EVIL, "csrf", EVIL, "values", "montant", EVIL,
	              "motif", EVIL, "vote", EVIL, "errors", "decision", EVIL, "montant", EVIL,
	              "motif", EVIL, "vote", EVIL, "error_list", error_list("motif"));
	views_render("commission/decide", ctx, &out);
	views_assert_has(&out, "id=\"decide-form\"");
	views_assert_has(&out, "id=\"err-motif\"");
	views_assert_has(&out, "id=\"decide-submit\"");
	buf_free(&out);
}

static void test_anonymous(void **state)
{
	struct buf out;
	json_t *item = json_pack(
	    "{s:i, s:i, s:s, s:s, s:b, s:{s:s, s:[{s:s, s:s}]}, s:{s:s, s:s, s:s, s:s, s:s, s:s}, "
	    "s:s, s:s, s:{s:s, s:s, s:s, s:[s]}, s:{s:s, s:s, s:s, s:s}}",
	    "item_id", 8, "ordre", 1, "numero", EVIL, "aide", EVIL, "a_rapporter", 1, "composition",
	    "resume", EVIL, "membres", "role", EVIL, "tranche_age", EVIL, "indicateurs",
	    "qf_tranche", EVIL, "qf_origine", EVIL, "ressources_fr", EVIL, "charges_fr", EVIL,
	    "reste_a_vivre_fr", EVIL, "rav_jour_personne_fr", EVIL, "montant_demande_fr", EVIL,
	    "motif", EVIL, "proposition", "label", EVIL, "montant_fr", EVIL, "appreciation", EVIL,
	    "explication", EVIL, "decision", "label", EVIL, "montant_fr", EVIL, "motif", EVIL,
	    "vote", EVIL);
	json_t *ctx = json_pack("{s:{s:s, s:s, s:s, s:s}, s:[o], s:b, s:s}", "session", "date_long",
	                        EVIL, "heure", EVIL, "lieu", EVIL, "state_label", EVIL, "items",
	                        item, "has_items", 1, "session_url", EVIL);
	views_render("commission/anonyme", ctx, &out);
	views_assert_has(&out, "id=\"anon-8\"");
	views_assert_has(&out, "id=\"anon-print\"");
	views_assert_has(&out, "data-print");
	buf_free(&out);
}

static void test_dossier_partial(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:{s:i, s:s, s:s}}", "commission", "commission_id", 2, "date_fr",
	                        EVIL, "state_label", EVIL);
	views_render("commission/dossier", ctx, &out);
	views_assert_has(&out, "id=\"dossier-commission\"");
	views_assert_has(&out, "href=\"/commissions/2\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list),      cmocka_unit_test(test_form),
	    cmocka_unit_test(test_show),      cmocka_unit_test(test_decide),
	    cmocka_unit_test(test_anonymous), cmocka_unit_test(test_dossier_partial),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
