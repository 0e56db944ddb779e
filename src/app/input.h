/* Reading use-case input: a JSON object of fields, as built from a form or
 * received by the API. */
#ifndef CAS_INPUT_H
#define CAS_INPUT_H
#include <jansson.h>

/* The field's string value, trimmed by the caller's adapter; "" when absent
 * or not a string. Borrowed from in. */
const char *input_str(json_t *in, const char *key);
/* Non-NULL when the field is present (any type). */
int input_has(json_t *in, const char *key);

#endif
