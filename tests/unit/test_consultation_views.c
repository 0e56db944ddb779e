/* The consultation templates (dossier section, justificatif, applying the
 * CAF composition, an aid type's data) escape hostile values, which can
 * come from the CAF's answer as well as from the agents, and keep the
 * element ids the HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"

static json_t *caf_person(void)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:{s:s}}", "libelle", EVIL, "naissance_fr",
	                 EVIL, "statut", EVIL, "difference", 1, "person_id", EVIL, "membre",
	                 "libelle", EVIL);
}

static json_t *comparison(void)
{
	return json_pack(
	    "{s:{s:b, s:[o], s:[{s:s, s:s}]}, s:{s:b, s:[o], s:[{s:s, s:s}], s:b}, "
	    "s:{s:b, s:s, s:s, s:b}, s:b, s:s, s:b, s:i, s:i, s:s}",
	    "allocataires", "compare", 1, "lignes", caf_person(), "en_plus", "libelle", EVIL,
	    "naissance_fr", EVIL, "enfants", "compare", 1, "lignes", caf_person(), "en_plus",
	    "libelle", EVIL, "naissance_fr", EVIL, "has_en_plus", 1, "adresse", "compare", 1, "caf",
	    EVIL, "declaree", EVIL, "identique", 0, "compared", 1, "differences_label", EVIL,
	    "has_differences", 1, "differences", 3, "enfants_manquants", 1, "apply_href", EVIL);
}

static json_t *consultation(int ok)
{
	json_t *c = json_pack(
	    "{s:i, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
	    "id", 7, "ok", ok, "at_fr", EVIL, "at_iso", EVIL, "agent", EVIL, "agent_label", EVIL,
	    "result_label", EVIL, "href", EVIL, "proof_href", EVIL, "error_message", EVIL,
	    "http_status", 502, "error_code", EVIL, "error_kind", EVIL, "dossier_numero", EVIL,
	    "person", EVIL, "endpoint", EVIL, "recipient", EVIL, "scopes", EVIL, "scopes_label",
	    EVIL, "request_id", EVIL, "response_sha256", EVIL, "reponse_texte", EVIL, "public_key",
	    EVIL, "signature_valide", 1);
	json_object_set_new(c, "key_id", json_string(EVIL));
	json_object_set_new(c, "signature", json_string(EVIL));
	json_object_set_new(c, "parametres_lignes",
	                    json_pack("[{s:s, s:s}]", "nom", EVIL, "valeur", EVIL));
	if (ok) {
		json_object_set_new(c, "qf",
		                    json_pack("{s:s, s:s, s:s, s:s}", "valeur", EVIL, "periode",
		                              EVIL, "fournisseur", EVIL, "calcul", EVIL));
		json_object_set_new(c, "cmp", comparison());
	}
	return c;
}

static void test_section(void **state)
{
	struct buf out;
	json_t *caf = json_pack("{s:i, s:b, s:b, s:b, s:o, s:[o]}", "dossier_id", 4, "can_consult",
	                        1, "can_apply", 1, "has_history", 1, "latest", consultation(1),
	                        "history", consultation(1));
	views_render("consultations/section", json_pack("{s:o, s:s}", "caf", caf, "csrf", EVIL),
	             &out);
	static const char *const ids[] = {
	    "id=\"consultation-caf\"", "id=\"caf-consult\"",        "id=\"caf-qf-valeur\"",
	    "id=\"caf-qf-periode\"",   "id=\"caf-qf-fournisseur\"", "id=\"caf-allocataires\"",
	    "id=\"caf-enfants\"",      "id=\"caf-adresse\"",        "id=\"caf-differences\"",
	    "id=\"caf-apply\"",        "class=\"caf-difference\"",  "id=\"caf-history\"",
	    "id=\"caf-latest-proof\""};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		views_assert_has(&out, ids[i]);
	buf_free(&out);
	/* a failed consultation: its message, no QF */
	caf = json_pack("{s:i, s:b, s:o}", "dossier_id", 4, "can_consult", 0, "latest",
	                consultation(0));
	views_render("consultations/section", json_pack("{s:o}", "caf", caf), &out);
	views_assert_has(&out, "id=\"caf-error\"");
	assert_null(strstr(buf_cstr(&out), "id=\"caf-qf\""));
	assert_null(strstr(buf_cstr(&out), "id=\"caf-consult\""));
	buf_free(&out);
}

static void test_justificatif(void **state)
{
	struct buf out;
	views_render("consultations/show",
	             json_pack("{s:o, s:s}", "c", consultation(0), "dossier_href", EVIL), &out);
	static const char *const ids[] = {
	    "id=\"proof-agent\"",        "id=\"proof-time\"",     "id=\"proof-siret\"",
	    "id=\"proof-scopes\"",       "id=\"proof-status\"",   "id=\"proof-request-id\"",
	    "id=\"proof-sha256\"",       "id=\"proof-params\"",   "id=\"proof-response\"",
	    "id=\"proof-signature\"",    "id=\"proof-download\"", "id=\"proof-print\"",
	    "id=\"proof-error-message\""};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		views_assert_has(&out, ids[i]);
	buf_free(&out);
}

static void test_apply_and_scopes(void **state)
{
	struct buf out;
	json_t *child =
	    json_pack("{s:i, s:s, s:s, s:b, s:n, s:{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:b}]}, "
	              "s:{s:s, s:s, s:s}}",
	              "index", 2, "libelle", EVIL, "naissance_fr", EVIL, "needs_details", 1,
	              "existing_person_id", "f", "lieu", "lieu_naissance_2", "nat", "nationalite_2",
	              "enfant", "enfant_2", "lieu_value", EVIL, "nationalites", "code", EVIL,
	              "label", EVIL, "selected", 1, "e", "lieu", EVIL, "nat", EVIL, "enfant", EVIL);
	json_t *ctx =
	    json_pack("{s:o, s:[o], s:b, s:s, s:s, s:s, s:{s:s}, s:[{s:s, s:s}]}", "c",
	              consultation(1), "children", child, "has_children", 1, "dossier_href", EVIL,
	              "confirm", EVIL, "csrf", EVIL, "errors", "lieu_naissance_2", EVIL,
	              "error_list", "field", "lieu_naissance_2", "message", EVIL);
	views_render("consultations/apply", ctx, &out);
	views_assert_has(&out, "id=\"apply-form\"");
	views_assert_has(&out, "data-confirm=\"&lt;script&gt;");
	views_assert_has(&out, "id=\"lieu_naissance_2\"");
	views_assert_has(&out, "aria-invalid=\"true\"");
	views_assert_has(&out, "id=\"err-lieu_naissance_2\"");
	views_assert_has(&out, "id=\"apply-submit\"");
	buf_free(&out);
	json_t *aid = json_pack("{s:i, s:s, s:[{s:s, s:s, s:b}]}", "id", 3, "label", EVIL,
	                        "choices", "code", "cnaf_enfants", "label", EVIL, "checked", 1);
	views_render("consultations/aid_scopes",
	             json_pack("{s:o, s:s, s:{s:s}, s:[{s:s, s:s}]}", "aid", aid, "csrf", EVIL,
	                       "errors", "scopes", EVIL, "error_list", "field", "scopes", "message",
	                       EVIL),
	             &out);
	views_assert_has(&out, "id=\"scope-cnaf_enfants\"");
	views_assert_has(&out, "id=\"err-scopes\"");
	views_assert_has(&out, "id=\"scopes-submit\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_section),
	    cmocka_unit_test(test_justificatif),
	    cmocka_unit_test(test_apply_and_scopes),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
