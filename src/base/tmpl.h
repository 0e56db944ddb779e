/* HTML template engine: a subset of Mustache rendered against a jansson
 * context. Every value is HTML-escaped unless the template AND the
 * context's key name both say it is trusted HTML (see below).
 *
 * Syntax
 *   {{name}} {{a.b.c}}   value, HTML-escaped (& < > " ' become entities).
 *                        Strings as they are, integers and reals as numbers,
 *                        true as "true"; null, false, objects, arrays and
 *                        missing keys render nothing. The first segment of a
 *                        name is looked up in the innermost section context,
 *                        then outwards to the root; the following segments
 *                        are looked up inside the value found (no walking).
 *   {{.}}                the current context (the element of a list).
 *   {{#name}}..{{/name}} section. Array: body once per element, the element
 *                        pushed as context. Object: body once with it
 *                        pushed. true, non-empty string, non-zero number:
 *                        body once (the value pushed). false, null,
 *                        missing, "", 0, empty array: skipped.
 *   {{^name}}..{{/name}} inverted section: body once when name is falsy as
 *                        above (nothing pushed).
 *   {{! comment }}       dropped; may span lines.
 *   {{> other}}          the template named "other" of the same set, rendered
 *                        with the current context stack (at most 8 deep).
 *   {{{name}}} {{&name}} UNESCAPED output, but only when the last segment of
 *                        name starts with "html_" (e.g. {{{html_body}}},
 *                        {{&page.html_menu}}) and the value is a string; any
 *                        other name is escaped as with {{name}}. So raw HTML
 *                        can only come from a context key that the calling
 *                        code deliberately named html_*: never put
 *                        user-controlled keys into a context.
 * Names are segments of [A-Za-z0-9_-] joined by dots; partial names may also
 * hold '/' and '.'. Whitespace inside the braces is ignored. A section,
 * inverted, closing, comment or partial tag alone on its line (but for
 * spaces and tabs) removes that whole line from the output. Other tags
 * ({{=..=}}, {{<..}}, {{$..}}...) are errors. Escaping is for element
 * content and QUOTED attribute values; a URL attribute still needs its
 * scheme checked by the caller.
 *
 * Layouts: render the page first, then the layout with the page's HTML as
 * the trusted value html_body; tmpl_render_layout() does both.
 *
 * A set is built once (tmpl_set_add...), then is immutable: any number of
 * threads may render from it concurrently. */
#ifndef CAS_TMPL_H
#define CAS_TMPL_H
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/embedded.h"

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);      /* free with tmpl_set_free */
void tmpl_set_free(struct tmpl_set *set); /* NULL is fine */

/* Compiles text (len bytes, valid UTF-8) under name. 0, or CAS_EINVAL with
 * "name:line: message" in err (parse error), or CAS_ECONFLICT when the
 * name is taken. err may be NULL. text is copied. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, size_t len, char *err,
                 size_t errsz);

/* Adds every file of an embedded table, named by its embedded name. Stops at
 * the first failure (as tmpl_set_add). */
int tmpl_set_add_embedded(struct tmpl_set *set, const struct embedded_file *files, char *err,
                          size_t errsz);

/* Checks that every {{> partial}} names a template of the set: 0, or
 * CAS_ENOTFOUND with "name:line: unknown partial 'x'" in err. */
int tmpl_set_check(const struct tmpl_set *set, char *err, size_t errsz);

int tmpl_exists(const struct tmpl_set *set, const char *name); /* 1 or 0 */

/* Renders template name against ctx (any JSON value; NULL is an empty
 * context), APPENDING to out. 0, or CAS_ENOTFOUND (unknown template or
 * partial), CAS_ETOOBIG (partials nested too deep), or out's error
 * (CAS_ETOOBIG when out->max is reached). On failure out holds a partial
 * rendering that the caller discards. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out);

/* Renders page against ctx, then appends layout rendered against ctx plus
 * "html_body" = the page's HTML. ctx is not modified. Same results as
 * tmpl_render. */
int tmpl_render_layout(const struct tmpl_set *set, const char *layout, const char *page,
                       json_t *ctx, struct buf *out);

#endif
