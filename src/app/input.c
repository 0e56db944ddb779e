#include "app/input.h"

#include <stdlib.h>
#include <string.h>

const char *input_str(json_t *in, const char *key)
{
	const char *v = json_string_value(json_object_get(in, key));
	return v ? v : "";
}

int input_has(json_t *in, const char *key)
{
	return json_object_get(in, key) != NULL;
}

int64_t input_id(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? json_integer_value(v) : 0;
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return 0;
	return strtoll(s, NULL, 10);
}

void input_error(json_t *errors, const char *field, const char *message)
{
	if (!json_object_get(errors, field))
		json_object_set_new(errors, field, json_string(message));
}
