#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/embedded.h"
#include "base/tmpl.h"
#include "views.h"

extern const struct embedded_file templates_files[];

static struct tmpl_set *set;

int views_setup(void **state)
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

int views_teardown(void **state)
{
	tmpl_set_free(set);
	return 0;
}

void views_render(const char *name, json_t *ctx, struct buf *out)
{
	buf_init(out, 1 << 20);
	assert_int_equal(tmpl_render(set, name, ctx, out), 0);
	json_decref(ctx);
	const char *html = buf_cstr(out);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "\"'&"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
}

void views_assert_has(struct buf *out, const char *s)
{
	if (!strstr(buf_cstr(out), s))
		fail_msg("missing %s", s);
}
