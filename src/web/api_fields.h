/* Checking the fields of a JSON API body against what a call accepts. */
#ifndef CAS_API_FIELDS_H
#define CAS_API_FIELDS_H
#include <jansson.h>

/* One accepted field: its name and JSON type ('s' string, 'i' integer). */
struct api_field {
	const char *name;
	char type;
};

/* Errors for the fields of body (borrowed; NULL is an empty body) that are
 * unknown or of the wrong type, as a new object field -> French message;
 * NULL when all are acceptable. fields ends with a NULL name. */
json_t *api_fields_check(json_t *body, const struct api_field *fields);

struct req;
/* The same, replying 422 with the errors: 0 when the body is acceptable,
 * -1 when a reply is queued. */
int api_fields_check_or_reply(struct req *r, const struct api_field *fields);

#endif
