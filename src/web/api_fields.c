#include "web/api_fields.h"
#include "web/req.h"
#include "web/api.h"

#include <string.h>

static const struct api_field *find(const struct api_field *fields, const char *name)
{
	for (; fields->name; fields++)
		if (strcmp(fields->name, name) == 0)
			return fields;
	return NULL;
}

json_t *api_fields_check(json_t *body, const struct api_field *fields)
{
	json_t *errors = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		const struct api_field *f = find(fields, key);
		if (!f)
			json_object_set_new(errors, key, json_string("Champ inconnu."));
		else if (f->type == 's' && !json_is_string(v))
			json_object_set_new(
			    errors, key,
			    json_string("Ce champ doit être une chaîne de caractères."));
		else if (f->type == 'i' && !json_is_integer(v))
			json_object_set_new(errors, key,
			                    json_string("Ce champ doit être un nombre entier."));
	}
	if (json_object_size(errors))
		return errors;
	json_decref(errors);
	return NULL;
}

int api_fields_check_or_reply(struct req *r, const struct api_field *fields)
{
	json_t *errors = api_fields_check(r->json, fields);
	if (!errors)
		return 0;
	api_reply_field_errors(r, errors);
	json_decref(errors);
	return -1;
}
