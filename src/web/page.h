/* HTML pages: the layout (header with the CCAS's name and colour,
 * navigation by permission, one-time confirmations) around a page template. */
#ifndef CAS_PAGE_H
#define CAS_PAGE_H
#include <jansson.h>

struct req;

/* Compiles the embedded templates; call once before serving. */
int page_init(void);
void page_shutdown(void);

/* Renders templates/<tmpl>.html inside the layout. ctx is stolen (NULL for
 * an empty one); the page title goes in the <title> and <h1>. */
void reply_page(struct req *r, int status, const char *tmpl, const char *title, json_t *ctx);
void reply_error_page(struct req *r, int status, const char *message);

/* Field errors for a form: an object field -> message. Adds "errors"
 * (object), "error_list" (array of {field, message} for the summary) and
 * "values" to ctx. */
void page_add_form_errors(json_t *ctx, json_t *errors /* borrowed */,
                          json_t *values /* borrowed */);

/* The submitted form fields, to show again after an error: a new object,
 * without the password nor the CSRF token. */
json_t *page_form_values(struct req *r);

/* The roles an account or an API key of a CCAS may have, for a <select>:
 * [{code, label, selected}]. */
json_t *page_roles_json(const char *selected);

/* INSEE codes as stored ("75056,75101") to read or edit ("75056, 75101"). */
json_t *page_communes_text(const char *codes);

#endif
