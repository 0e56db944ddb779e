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

extern const struct embedded_file templates_files[];

#define EVIL "<script>alert(1)</script>\"'&"

static struct tmpl_set *set;

static int setup(void **state)
{
	char err[256];
	set = tmpl_set_new();
	if (tmpl_set_add_embedded(set, templates_files, err, sizeof(err)) != 0 ||
	    tmpl_set_check(set, err, sizeof(err)) != 0) {
		print_error("templates: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	tmpl_set_free(set);
	return 0;
}

/* Renders name with ctx (stolen) into out; checks that nothing hostile
 * came through unescaped. */
static void render(const char *name, json_t *ctx, struct buf *out)
{
	buf_init(out, 1 << 20);
	assert_int_equal(tmpl_render(set, name, ctx, out), 0);
	json_decref(ctx);
	const char *html = buf_cstr(out);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "\"'&"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
}

static void assert_has(struct buf *out, const char *s)
{
	if (!strstr(buf_cstr(out), s))
		fail_msg("missing %s", s);
}

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
	render("persons/form", ctx, &out);
	assert_has(&out, "id=\"person-form\"");
	assert_has(&out, "id=\"error-summary\"");
	assert_has(&out, "id=\"err-date_naissance\"");
	assert_has(&out, "aria-describedby=\"hint-date_naissance err-date_naissance\"");
	assert_has(&out, "id=\"sexe-f\"");
	assert_has(&out, "id=\"lieu_type-etranger\"");
	assert_has(&out, "JJ/MM/AAAA, ou MM/AAAA, ou AAAA si le jour ou le mois sont inconnus");
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
	render("persons/list", ctx, &out);
	assert_has(&out, "id=\"person-search\"");
	assert_has(&out, "id=\"q\"");
	assert_has(&out, "id=\"person-results\"");
	assert_has(&out, "id=\"person-4\"");
	assert_has(&out, "id=\"person-new\"");
	assert_has(&out, "id=\"person-pagination\"");
	assert_has(&out, "id=\"err-date_naissance\"");
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
	render("persons/show", ctx, &out);
	assert_has(&out, "id=\"person-identity\"");
	assert_has(&out, "id=\"person-edit\"");
	assert_has(&out, "id=\"person-households\"");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form),
	    cmocka_unit_test(test_list),
	    cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
