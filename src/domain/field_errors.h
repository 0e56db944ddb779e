/* Validation errors attached to the fields of a form, so that each message
 * can be shown next to its field. Fixed capacity, no allocation: the field
 * names and messages are not copied and must outlive the struct (they are
 * normally static strings). Initialise with `struct field_errors e = {0};`. */
#ifndef CAS_DOMAIN_FIELD_ERRORS_H
#define CAS_DOMAIN_FIELD_ERRORS_H

#define FIELD_ERRORS_MAX 24

struct field_error {
	const char *field;   /* form field name: "nom_naissance" */
	const char *message; /* French, for the user */
};

struct field_errors {
	struct field_error items[FIELD_ERRORS_MAX];
	int n;
};

/* Appends an error; once FIELD_ERRORS_MAX are recorded, further ones are
 * dropped (n stays at the maximum, so the form is still refused). */
void field_errors_add(struct field_errors *e, const char *field, const char *msg);

/* The first message recorded for field, or NULL. */
const char *field_errors_get(const struct field_errors *e, const char *field);

#endif
