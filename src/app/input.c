#include "app/input.h"

const char *input_str(json_t *in, const char *key)
{
	const char *v = json_string_value(json_object_get(in, key));
	return v ? v : "";
}

int input_has(json_t *in, const char *key)
{
	return json_object_get(in, key) != NULL;
}
