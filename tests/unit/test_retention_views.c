/* The retention templates escape hostile values (a hold's motive, an
 * agent's label, an aid's name, submitted durations) and keep the element
 * ids the HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"

static json_t *hold(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", EVIL, "kind_label",
	                 EVIL, "motif", EVIL, "par", EVIL, "depuis", EVIL, "leve_le", EVIL,
	                 "leve_par", EVIL, "levee_motif", EVIL);
}

static json_t *conservation(int held)
{
	json_t *c = json_pack("{s:i, s:s, s:s, s:b, s:b, s:b, s:[o], s:b, s:[{s:s, s:s, s:b}]}",
	                      "dossier_id", 12, "purge_le", EVIL, "purge_iso", EVIL, "echue", 1,
	                      "can_hold", 1, "details", 1, "historique", hold(), "has_historique",
	                      1, "kinds", "value", EVIL, "label", EVIL, "selected", 1);
	json_object_set_new(c, "gel", held ? hold() : json_null());
	return c;
}

static void test_dossier_section(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:o, s:s}", "conservation", conservation(0), "csrf", EVIL);
	views_render("retention/dossier", ctx, &out);
	views_assert_has(&out, "id=\"conservation\"");
	views_assert_has(&out, "id=\"conservation-purge\"");
	views_assert_has(&out, "id=\"conservation-historique\"");
	views_assert_has(&out, "action=\"/dossiers/12/gel\"");
	views_assert_has(&out, "id=\"gel-form\"");
	buf_free(&out);
	ctx = json_pack("{s:o, s:s}", "conservation", conservation(1), "csrf", EVIL);
	views_render("retention/dossier", ctx, &out);
	views_assert_has(&out, "id=\"conservation-gel\"");
	views_assert_has(&out, "id=\"levee-form\"");
	views_assert_has(&out, "data-confirm=\"Lever le gel");
	buf_free(&out);
}

static void test_refused_hold(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:o, s:s, s:{s:s, s:s}, s:[{s:s, s:s}], s:{s:s}}", "conservation",
	                        conservation(0), "csrf", EVIL, "errors", "gel_type", EVIL,
	                        "gel_motif", EVIL, "error_list", "field", "gel_motif", "message",
	                        EVIL, "values", "gel_motif", EVIL);
	views_render("retention/hold", ctx, &out);
	views_assert_has(&out, "class=\"error-summary\"");
	views_assert_has(&out, "id=\"err-gel_motif\"");
	views_assert_has(&out, "id=\"err-gel_type\"");
	views_assert_has(&out, "id=\"back-to-dossier\"");
	buf_free(&out);
}

static json_t *admin_ctx(void)
{
	json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", 7, "numero",
	                        EVIL, "aide", EVIL, "issue_label", EVIL, "cloture_le", EVIL,
	                        "purge_le", EVIL, "purge_iso", EVIL, "en_retard", 1, "gel", 1);
	json_t *gel = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dossier_id", 7,
	                        "numero", EVIL, "kind", EVIL, "kind_label", EVIL, "motif", EVIL,
	                        "par", EVIL, "depuis", EVIL, "purge_le", EVIL);
	json_t *run = json_pack("{s:i, s:s, s:s, s:s, s:[{s:i, s:s}]}", "id", 3, "debut", EVIL,
	                        "fin", EVIL, "started_by", EVIL, "lines", "n", 4, "label", EVIL);
	json_t *aid =
	    json_pack("{s:i, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s}", "id", 5, "label", EVIL,
	              "active", 0, "field_accorde", "accorde_5", "field_refus", "refus_5",
	              "accorde", EVIL, "refus", EVIL, "err_accorde", EVIL, "err_refus", EVIL);
	json_t *sort = json_pack("{s:s, s:s, s:s}", "href", EVIL, "aria", EVIL, "arrow", EVIL);
	return json_pack("{s:i, s:s, s:s, s:[o], s:b, s:[o], s:b, s:[o], s:b, s:[o], s:b, s:s, "
	                 "s:s, s:{s:O, s:O, s:O, s:o}, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, "
	                 "s:s}, s:{s:s, s:s, s:s, s:s, s:s}, s:[{s:s, s:s}]}",
	                 "days", 30, "until_fr", EVIL, "count_label", EVIL, "dossiers", row,
	                 "has_dossiers", 1, "gels", gel, "has_gels", 1, "runs", run, "has_runs", 1,
	                 "aides", aid, "has_aides", 1, "prev_href", EVIL, "next_href", EVIL, "sort",
	                 "date", sort, "dossier", sort, "aide", sort, "issue", sort, "sans_dossier",
	                 "usagers", EVIL, "foyers", EVIL, "titulaires", EVIL, "values", "accorde",
	                 EVIL, "refus", EVIL, "corps_api", EVIL, "traces_api", EVIL, "acces", EVIL,
	                 "errors", "accorde", EVIL, "refus", EVIL, "corps_api", EVIL, "traces_api",
	                 EVIL, "acces", EVIL, "error_list", "field", "refus", "message", EVIL);
}

static void test_admin(void **state)
{
	struct buf out;
	json_t *ctx = admin_ctx();
	json_object_set_new(ctx, "csrf", json_string(EVIL));
	views_render("retention/admin", ctx, &out);
	views_assert_has(&out, "id=\"purge-list\"");
	views_assert_has(&out, "id=\"purge-7\"");
	views_assert_has(&out, "href=\"/dossiers/7\"");
	views_assert_has(&out, "id=\"gel-7\"");
	views_assert_has(&out, "id=\"run-3\"");
	views_assert_has(&out, "id=\"retention-form\"");
	views_assert_has(&out, "id=\"err-acces\"");
	views_assert_has(&out, "id=\"accorde_5\"");
	views_assert_has(&out, "id=\"err-refus_5\"");
	views_assert_has(&out, "data-confirm=\"Enregistrer ces durées");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dossier_section),
	    cmocka_unit_test(test_refused_hold),
	    cmocka_unit_test(test_admin),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
