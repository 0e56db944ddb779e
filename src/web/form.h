/* application/x-www-form-urlencoded bodies. */
#ifndef CAS_FORM_H
#define CAS_FORM_H
#include <jansson.h>
#include <stddef.h>

/* Parses body into a new object of strings, trimmed of surrounding white
 * space. A repeated key keeps its values in order under "key" for the first
 * and "key[1]", "key[2]"... for the next. NULL when a value is not valid
 * UTF-8 or the body is malformed. Caller decrefs. */
json_t *form_parse(const char *body, size_t len);

#endif
