#include "domain/field_errors.h"

#include <string.h>

void field_errors_add(struct field_errors *e, const char *field, const char *msg)
{
	if (e->n < 0 || e->n >= FIELD_ERRORS_MAX)
		return;
	e->items[e->n].field = field;
	e->items[e->n].message = msg;
	e->n++;
}

const char *field_errors_get(const struct field_errors *e, const char *field)
{
	for (int k = 0; k < e->n && k < FIELD_ERRORS_MAX; k++) {
		if (strcmp(e->items[k].field, field) == 0)
			return e->items[k].message;
	}
	return NULL;
}
