/* The access log page (templates/audit/acces.html) escapes hostile values
 * (names, agents, dates typed) and keeps the element ids and the
 * accessibility of its form that the HTTP and browser tests rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/buf.h"
#include "views.h"

static json_t *row(int id)
{
	return json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id", id, "at", EVIL,
	                 "agent", EVIL, "type", EVIL, "object_id", 12, "href", "/usagers/12",
	                 "usager", EVIL, "usager_href", "/audit/acces?usager=12", "route", EVIL);
}

static void test_search(void **state)
{
	struct buf out;
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:s, s:s, s:[{s:i, s:s, s:b}], s:b, s:b, s:[{s:i, s:s, s:s, s:s}], "
	    "s:[o, o], s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}",
	    "nom", EVIL, "du", EVIL, "au", EVIL, "ordre", EVIL, "agents", "id", 3, "label", EVIL,
	    "selected", 1, "searched", 1, "has_matches", 1, "matches", "id", 12, "label", EVIL,
	    "href", "/audit/acces?usager=12", "naissance", EVIL, "rows", row(1), row(2), "has_rows",
	    1, "count_label", EVIL, "caption", EVIL, "sort_href", "/audit/acces?ordre=asc",
	    "sort_aria", "descending", "sort_arrow", EVIL, "next_href", "/audit/acces?page=2",
	    "page", 1, "pages", 2);
	views_render("audit/acces", ctx, &out);
	views_assert_has(&out, "id=\"access-person-search\"");
	views_assert_has(&out, "<label for=\"nom\">");
	views_assert_has(&out, "id=\"access-match-12\"");
	views_assert_has(&out, "<option value=\"3\" selected>");
	views_assert_has(&out, "id=\"access-table\"");
	views_assert_has(&out, "<th scope=\"col\" aria-sort=\"descending\">");
	views_assert_has(&out, "id=\"access-1\"");
	views_assert_has(&out, "rel=\"next\"");
	buf_free(&out);
}

static void test_person_and_errors(void **state)
{
	struct buf out;
	json_t *ctx = json_pack("{s:i, s:s, s:s, s:s, s:[], s:s, s:s, s:{s:s, s:s}, "
	                        "s:[{s:s, s:s}, {s:s, s:s}], s:b}",
	                        "usager", 12, "usager_nom", EVIL, "du", EVIL, "au", EVIL, "agents",
	                        "ordre", "desc", "count_label", EVIL, "errors", "du", EVIL, "au",
	                        EVIL, "error_list", "field", "du", "message", EVIL, "field", "au",
	                        "message", EVIL, "has_rows", 0);
	views_render("audit/acces", ctx, &out);
	views_assert_has(&out, "id=\"access-person\"");
	views_assert_has(&out, "<input type=\"hidden\" name=\"usager\" value=\"12\">");
	views_assert_has(&out, "id=\"error-summary\"");
	views_assert_has(&out, "href=\"#du\"");
	views_assert_has(&out, "aria-describedby=\"hint-du err-du\" aria-invalid=\"true\"");
	views_assert_has(&out, "id=\"err-au\"");
	assert_null(strstr(buf_cstr(&out), "id=\"access-person-search\"")); /* a person chosen */
	assert_null(strstr(buf_cstr(&out), "id=\"access-table\""));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_person_and_errors),
	};
	return cmocka_run_group_tests(tests, views_setup, views_teardown);
}
