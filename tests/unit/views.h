/* Shared by the view tests: every embedded template compiled once, and a
 * render that fails the test when a hostile value comes through unescaped. */
#ifndef CAS_TEST_VIEWS_H
#define CAS_TEST_VIEWS_H
#include <jansson.h>

#include "base/buf.h"

/* A value that would break out of any HTML context if it were not escaped. */
#define EVIL "<script>alert(1)</script>\"'&"

int views_setup(void **state);
int views_teardown(void **state);
/* Renders name with ctx (stolen) into out (initialised here; the caller
 * frees it); checks that EVIL only appears escaped. */
void views_render(const char *name, json_t *ctx, struct buf *out);
void views_assert_has(struct buf *out, const char *s);

#endif
