#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/tmpl.h"

/* Compiles text as template "t" in a fresh set, renders it against the
 * JSON ctx and compares with want. */
static void check(const char *text, const char *ctx_json, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[200] = "";
	int rc = tmpl_set_add(set, "t", text, strlen(text), err, sizeof(err));
	if (rc != 0)
		fail_msg("%s", err);
	json_t *ctx =
	    ctx_json ? json_loads(ctx_json, JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL) : NULL;
	assert_true(ctx_json == NULL || ctx != NULL);
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

/* Expects text to fail to compile with exactly the message want. */
static void check_error_n(const char *text, size_t len, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[200] = "";
	assert_int_equal(tmpl_set_add(set, "page", text, len, err, sizeof(err)), CAS_EINVAL);
	assert_string_equal(err, want);
	assert_false(tmpl_exists(set, "page"));
	tmpl_set_free(set);
}

static void check_error(const char *text, const char *want)
{
	check_error_n(text, strlen(text), want);
}

static void plain_text(void **state)
{
	check("", NULL, "");
	check("hello <b>world</b>\n", NULL, "hello <b>world</b>\n");
	check("single { and } braces", NULL, "single { and } braces");
}

static void values(void **state)
{
	check("{{s}}|{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{o}}|{{a}}|{{missing}}",
	      "{\"s\":\"x\",\"i\":-42,\"r\":2.5,\"t\":true,\"f\":false,\"n\":null,"
	      "\"o\":{\"k\":1},\"a\":[1]}",
	      "x|-42|2.5|true|||||");
	check("{{ spaced }}", "{\"spaced\":\"ok\"}", "ok");
	check("{{name}}", NULL, "");
	check("{{.}}", "\"top\"", "top");
	check("{{big}}", "{\"big\":9007199254740993}", "9007199254740993");
	check("{{u}}", "{\"u\":\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac\"}",
	      "\xc3\xa9t\xc3\xa9 \xe2\x82\xac");
}

static void dotted_names(void **state)
{
	const char *ctx = "{\"a\":{\"b\":{\"c\":\"deep\"}},\"x\":\"root\"}";
	check("{{a.b.c}}", ctx, "deep");
	check("{{a.b.missing}}|{{a.z.c}}|{{x.y}}", ctx, "||");
	check("{{#a}}{{b.c}}{{/a}}", ctx, "deep");
	/* the first segment walks up, the following ones do not */
	check("{{#a}}{{#b}}{{x}}{{/b}}{{/a}}", ctx, "root");
	check("{{#a.b}}{{c}}{{/a.b}}", ctx, "deep");
	check("{{#a}}{{b.x}}{{/a}}", ctx, "");
}

static void escaping(void **state)
{
	check("<p>{{v}}</p>", "{\"v\":\"<script>alert(1)</script>\"}",
	      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	check("<a title=\"{{v}}\">", "{\"v\":\"\\\" onmouseover=\\\"alert(1)\"}",
	      "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
	check("<a title='{{v}}'>", "{\"v\":\"' onfocus='x\"}", "<a title='&#39; onfocus=&#39;x'>");
	check("{{v}}", "{\"v\":\"&amp;\"}", "&amp;amp;");
	check("{{v}}", "{\"v\":\"{{v}}\"}", "{{v}}");
	check("{{#l}}{{.}}{{/l}}", "{\"l\":[\"<i>\",\"&\"]}", "&lt;i&gt;&amp;");
	check("{{v}}", "{\"v\":\"a\\u0000b\"}", "ab");
}

static void trusted_html_rule(void **state)
{
	const char *ctx = "{\"html_body\":\"<b>ok</b>\",\"body\":\"<b>no</b>\","
	                  "\"page\":{\"html_menu\":\"<nav></nav>\",\"menu\":\"<nav>\"},"
	                  "\"html_num\":5}";
	check("{{{html_body}}}|{{&html_body}}|{{& html_body }}", ctx,
	      "<b>ok</b>|<b>ok</b>|<b>ok</b>");
	/* double braces always escape, even html_ keys */
	check("{{html_body}}", ctx, "&lt;b&gt;ok&lt;/b&gt;");
	/* raw tags on other names still escape */
	check("{{{body}}}|{{&body}}", ctx, "&lt;b&gt;no&lt;/b&gt;|&lt;b&gt;no&lt;/b&gt;");
	check("{{{page.html_menu}}}|{{{page.menu}}}", ctx, "<nav></nav>|&lt;nav&gt;");
	/* the prefix must be on the last segment */
	check("{{{html_x.body}}}", "{\"html_x\":{\"body\":\"<i>\"}}", "&lt;i&gt;");
	check("{{{.}}}", "\"<i>\"", "&lt;i&gt;");
	check("{{{html_num}}}", ctx, "5");
	check("{{{html_}}}", "{\"html_\":\"<hr>\"}", "<hr>");
	check("{{{htmlx}}}", "{\"htmlx\":\"<hr>\"}", "&lt;hr&gt;");
}

static void sections(void **state)
{
	const char *ctx = "{\"t\":true,\"f\":false,\"n\":null,\"s\":\"x\",\"e\":\"\","
	                  "\"z\":0,\"one\":1,\"rz\":0.0,\"ea\":[],\"eo\":{}}";
	check("{{#t}}T{{/t}}{{#f}}F{{/f}}{{#n}}N{{/n}}{{#missing}}M{{/missing}}", ctx, "T");
	check("{{#s}}S{{.}}{{/s}}{{#e}}E{{/e}}{{#z}}Z{{/z}}{{#one}}O{{.}}{{/one}}", ctx, "SxO1");
	check("{{#rz}}R{{/rz}}{{#ea}}A{{/ea}}{{#eo}}O{{/eo}}", ctx, "O");
	check("{{^t}}T{{/t}}{{^f}}F{{/f}}{{^n}}N{{/n}}{{^missing}}M{{/missing}}", ctx, "FNM");
	check("{{^e}}E{{/e}}{{^z}}Z{{/z}}{{^ea}}A{{/ea}}{{^eo}}O{{/eo}}{{^s}}S{{/s}}", ctx, "EZA");
}

static void arrays(void **state)
{
	check("{{#l}}[{{.}}]{{/l}}", "{\"l\":[1,\"two\",true,null]}", "[1][two][true][]");
	check("<ul>{{#people}}<li>{{name}} ({{age}})</li>{{/people}}</ul>",
	      "{\"people\":[{\"name\":\"Ana\",\"age\":30},{\"name\":\"Bo\"}],\"age\":99}",
	      "<ul><li>Ana (30)</li><li>Bo (99)</li></ul>");
	check("{{#people}}{{name}}{{^last}}, {{/last}}{{/people}}",
	      "{\"people\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\",\"last\":true}]}",
	      "a, b, c");
	check("{{#m}}{{#.}}{{.}}{{/.}};{{/m}}", "{\"m\":[[1,2],[3],[]]}", "12;3;;");
}

static void nesting(void **state)
{
	const char *ctx = "{\"title\":\"T\",\"groups\":[{\"name\":\"g1\",\"items\":"
	                  "[{\"v\":1},{\"v\":2}]},{\"name\":\"g2\",\"items\":[]}]}";
	check("{{#groups}}{{name}}:{{#items}}{{title}}{{name}}{{v}} {{/items}}"
	      "{{^items}}none{{/items}}|{{/groups}}",
	      ctx, "g1:Tg11 Tg12 |g2:none|");
	check("{{#a}}{{#b}}{{#c}}{{d}}{{/c}}{{/b}}{{/a}}",
	      "{\"a\":{\"b\":{\"c\":{}}},\"d\":\"outer\"}", "outer");
}

static void comments(void **state)
{
	check("a{{! a comment }}b", NULL, "ab");
	check("a{{! spans\nlines {{ }}b", NULL, "ab");
}

static void standalone_lines(void **state)
{
	check("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", "{\"l\":[1,2]}",
	      "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	check("a\n{{! note }}\nb\n", NULL, "a\nb\n");
	check("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\n", "{\"t\":true}", "a\r\nb\r\n");
	/* a tag sharing its line with other text keeps the line */
	check("x {{#t}}y{{/t}}\n", "{\"t\":true}", "x y\n");
	/* value tags never take their line */
	check("a\n{{v}}\nb", "{\"v\":\"\"}", "a\n\nb");
	check("{{#t}}\nlast\n{{/t}}", "{\"t\":true}", "last\n");
}

static void partials(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *page = "<h1>{{title}}</h1>\n<ul>\n{{#rows}}\n{{> row}}\n{{/rows}}\n</ul>\n";
	const char *row = "<li>{{name}} / {{title}}</li>\n";
	char err[200] = "";
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), err, sizeof(err)), 0);
	/* partials resolve at render time: added after their user */
	assert_int_equal(tmpl_set_add(set, "dossier/row", row, strlen(row), err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), CAS_ENOTFOUND);
	assert_string_equal(err, "page:4: unknown partial 'row'");
	assert_int_equal(tmpl_set_add(set, "row", "{{> dossier/row}}", 17, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(set, err, sizeof(err)), 0);
	json_t *ctx =
	    json_pack("{s:s, s:[{s:s},{s:s}]}", "title", "T<", "rows", "name", "a", "name", "b&");
	struct buf out;
	buf_init(&out, 1 << 16);
	assert_int_equal(tmpl_render(set, "page", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), "<h1>T&lt;</h1>\n<ul>\n<li>a / T&lt;</li>\n"
	                                    "<li>b&amp; / T&lt;</li>\n</ul>\n");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void partial_errors(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "loop", "x{{> loop}}", 11, NULL, 0), 0);
	assert_int_equal(tmpl_set_add(set, "gone", "{{> nothere}}", 13, NULL, 0), 0);
	struct buf out;
	buf_init(&out, 1 << 16);
	assert_int_equal(tmpl_render(set, "loop", NULL, &out), CAS_ETOOBIG);
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "gone", NULL, &out), CAS_ENOTFOUND);
	buf_reset(&out);
	assert_int_equal(tmpl_render(set, "unknown", NULL, &out), CAS_ENOTFOUND);
	buf_free(&out);
	tmpl_set_free(set);
}

static void parse_errors(void **state)
{
	check_error("<p>\n{{#a}}\n<b>\n", "page:2: unclosed section 'a'");
	check_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
	            "page:3: closing 'a' but 'b' (line 2) is open");
	check_error("a\nb\n{{/a}}", "page:3: closing 'a' with no open section");
	check_error("\n\n\n{{=<% %>=}}", "page:4: unknown tag '{{='");
	check_error("{{<layout}}{{/layout}}", "page:1: unknown tag '{{<'");
	check_error("x\n{{$block}}{{/block}}", "page:2: unknown tag '{{$'");
	check_error("a\n\nb {{name", "page:3: unclosed tag");
	check_error("{{{html_x}}", "page:1: unclosed tag");
	check_error("{{}}", "page:1: empty tag");
	check_error("{{ }}", "page:1: invalid name ''");
	check_error("{{a b}}", "page:1: invalid name 'a b'");
	check_error("{{a..b}}", "page:1: invalid name 'a..b'");
	check_error("{{#.a}}{{/.a}}", "page:1: invalid name '.a'");
	check_error("{{> bad name}}", "page:1: invalid partial name 'bad name'");
	check_error("{{! multi\nline }}\n{{#x}}", "page:3: unclosed section 'x'");
	check_error("ok\n\xc3\x28", "page:2: not valid UTF-8 text (byte 3)");
	check_error_n("nul \0", 5, "page:1: not valid UTF-8 text (byte 4)");
}

static void nesting_limit(void **state)
{
	struct buf t;
	buf_init(&t, 1 << 16);
	for (int i = 0; i < 33; i++)
		buf_puts(&t, "{{#a}}");
	check_error(buf_cstr(&t), "page:1: sections nested too deep");
	buf_free(&t);
}

static void set_management(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[100] = "";
	assert_int_equal(tmpl_set_add(set, "b", "B", 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "a", "A", 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "c", "C", 1, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(set, "a", "X", 1, err, sizeof(err)), CAS_ECONFLICT);
	assert_string_equal(err, "a: template defined twice");
	assert_true(tmpl_exists(set, "a") && tmpl_exists(set, "b") && tmpl_exists(set, "c"));
	assert_false(tmpl_exists(set, "d"));
	struct buf out;
	buf_init(&out, 100);
	assert_int_equal(tmpl_render(set, "a", NULL, &out), 0);
	assert_int_equal(tmpl_render(set, "b", NULL, &out), 0);
	assert_int_equal(tmpl_render(set, "c", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "ABC"); /* appends */
	buf_free(&out);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

static void output_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	assert_int_equal(tmpl_set_add(set, "t", "{{#l}}0123456789{{/l}}", 22, NULL, 0), 0);
	json_t *ctx = json_pack("{s:[iiiiiiiiii]}", "l", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	struct buf out;
	buf_init(&out, 95);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), CAS_ETOOBIG);
	assert_int_equal(out.err, CAS_ETOOBIG);
	assert_true(out.len <= 95);
	buf_reset(&out);
	out.max = 100;
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	assert_int_equal(out.len, 100);
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void layout(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *lay = "<title>{{title}}</title><main>{{{html_body}}}</main>";
	const char *page = "<h1>{{title}}</h1>{{html_body}}";
	assert_int_equal(tmpl_set_add(set, "layout", lay, strlen(lay), NULL, 0), 0);
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), NULL, 0), 0);
	json_t *ctx = json_pack("{s:s}", "title", "A&B");
	struct buf out;
	buf_init(&out, 1000);
	assert_int_equal(tmpl_render_layout(set, "layout", "page", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), "<title>A&amp;B</title><main><h1>A&amp;B</h1></main>");
	assert_null(json_object_get(ctx, "html_body")); /* ctx untouched */
	buf_reset(&out);
	assert_int_equal(tmpl_render_layout(set, "layout", "nope", ctx, &out), CAS_ENOTFOUND);
	buf_reset(&out);
	assert_int_equal(tmpl_render_layout(set, "layout", "page", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "<title></title><main><h1></h1></main>");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void embedded_table(void **state)
{
	static const unsigned char a[] = "A{{> b}}";
	static const unsigned char b[] = "B{{x}}";
	static const unsigned char bad[] = "{{#open}}";
	const struct embedded_file files[] = {
	    {"a", a, sizeof(a) - 1}, {"b", b, sizeof(b) - 1}, {NULL, NULL, 0}};
	const struct embedded_file broken[] = {{"bad", bad, sizeof(bad) - 1}, {NULL, NULL, 0}};
	struct tmpl_set *set = tmpl_set_new();
	char err[100];
	assert_int_equal(tmpl_set_add_embedded(set, files, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add_embedded(set, broken, err, sizeof(err)), CAS_EINVAL);
	assert_string_equal(err, "bad:1: unclosed section 'open'");
	json_t *ctx = json_pack("{s:s}", "x", "<");
	struct buf out;
	buf_init(&out, 100);
	assert_int_equal(tmpl_render(set, "a", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), "AB&lt;");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

struct shared {
	const struct tmpl_set *set;
	json_t *ctx;
	const char *want;
	int failures;
};

static void *render_many(void *arg)
{
	struct shared *sh = arg;
	struct buf out;
	buf_init(&out, 1 << 16);
	for (int i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (tmpl_render(sh->set, "page", sh->ctx, &out) != 0 ||
		    strcmp(buf_cstr(&out), sh->want) != 0)
			sh->failures++;
	}
	buf_free(&out);
	return NULL;
}

static void concurrent_rendering(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *page = "{{#rows}}<tr><td>{{n}}</td>{{> cell}}</tr>{{/rows}}";
	assert_int_equal(tmpl_set_add(set, "page", page, strlen(page), NULL, 0), 0);
	assert_int_equal(tmpl_set_add(set, "cell", "<td>{{v}}</td>", 14, NULL, 0), 0);
	json_t *ctx =
	    json_pack("{s:[{s:i,s:s},{s:i,s:s}]}", "rows", "n", 1, "v", "<a>", "n", 2, "v", "b");
	const char *want = "<tr><td>1</td><td>&lt;a&gt;</td></tr><tr><td>2</td><td>b</td></tr>";
	struct shared sh[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		sh[i] = (struct shared){set, ctx, want, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &sh[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(sh[i].failures, 0);
	}
	json_decref(ctx);
	tmpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_text),
	    cmocka_unit_test(values),
	    cmocka_unit_test(dotted_names),
	    cmocka_unit_test(escaping),
	    cmocka_unit_test(trusted_html_rule),
	    cmocka_unit_test(sections),
	    cmocka_unit_test(arrays),
	    cmocka_unit_test(nesting),
	    cmocka_unit_test(comments),
	    cmocka_unit_test(standalone_lines),
	    cmocka_unit_test(partials),
	    cmocka_unit_test(partial_errors),
	    cmocka_unit_test(parse_errors),
	    cmocka_unit_test(nesting_limit),
	    cmocka_unit_test(set_management),
	    cmocka_unit_test(output_limit),
	    cmocka_unit_test(layout),
	    cmocka_unit_test(embedded_table),
	    cmocka_unit_test(concurrent_rendering),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
