/* The views of the rights of the person (templates/rights/): the section of
 * the person page with the export links and the erasure button or its
 * refusal, and the refusal page; hostile values come out escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "views.h"

static void test_person_section_erasable(void **state)
{
	(void)state;
	struct buf out;
	json_t *ctx = json_pack("{s:s, s:{s:i, s:b, s:b}}", "csrf", EVIL, "rights", "id", 7,
	                        "can_export", 1, "can_erase", 1);
	views_render("rights/person", ctx, &out);
	views_assert_has(&out, "id=\"person-rights-title\">Droits de la personne</h2>");
	views_assert_has(&out, "href=\"/usagers/7/export.pdf\" id=\"person-export-pdf\"");
	views_assert_has(&out, "href=\"/usagers/7/export.json\" id=\"person-export-json\"");
	views_assert_has(&out, "action=\"/usagers/7/effacer\"");
	views_assert_has(&out, "data-confirm=\"Effacer définitivement cette personne ?");
	views_assert_has(&out, "id=\"person-erase\">Effacer la personne</button>");
	buf_free(&out);
}

static void test_person_section_refused(void **state)
{
	(void)state;
	struct buf out;
	json_t *ctx = json_pack("{s:s, s:{s:i, s:b, s:b, s:s}}", "csrf", "x", "rights", "id", 7,
	                        "can_export", 0, "can_erase", 1, "erase_refusal", EVIL);
	views_render("rights/person", ctx, &out);
	views_assert_has(&out, "id=\"person-erase-refusal\"");
	if (strstr(out.data, "person-erase\"") || strstr(out.data, "export.json"))
		fail_msg("no erase button and no export link here");
	buf_free(&out);
}

static void test_refused_page(void **state)
{
	(void)state;
	struct buf out;
	json_t *ctx = json_pack("{s:s, s:i}", "reason", EVIL, "id", 7);
	views_render("rights/refused", ctx, &out);
	views_assert_has(&out, "role=\"alert\" id=\"erase-refusal\"");
	views_assert_has(&out, "href=\"/usagers/7\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_person_section_erasable),
	    cmocka_unit_test(test_person_section_refused),
	    cmocka_unit_test(test_refused_page),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
