/* Reading use-case input: a JSON object of fields, as built from a form or
 * received by the API. */
#ifndef CAS_INPUT_H
#define CAS_INPUT_H
#include <jansson.h>
#include <stdint.h>

/* The field's string value, trimmed by the caller's adapter; "" when absent
 * or not a string. Borrowed from in. */
const char *input_str(json_t *in, const char *key);
/* Non-NULL when the field is present (any type). */
int input_has(json_t *in, const char *key);

/* A positive id given as a JSON integer or a string of digits; 0 otherwise. */
int64_t input_id(json_t *in, const char *key);
/* Sets errors[field] = message unless the field already has an error. */
void input_error(json_t *errors, const char *field, const char *message);

#endif
