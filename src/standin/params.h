/* Named call parameters, as a stand-in receives them in a query string or
 * reads them in a fixture's "params" mapping: each name holds one value, or
 * a list of values when it was given as a list ("prenoms[]=A&prenoms[]=B",
 * or a YAML sequence). Values are text; a YAML number is its digits. */
#ifndef CAS_STANDIN_PARAMS_H
#define CAS_STANDIN_PARAMS_H
#include <stddef.h>

struct sp_param {
	char *name;    /* owned */
	char **values; /* owned; nvalues entries */
	int nvalues;
	int is_list; /* given as a list (possibly of one value) */
};

struct sp_params {
	struct sp_param *items; /* owned */
	int n, cap;
};

void sp_init(struct sp_params *p);
void sp_free(struct sp_params *p);

/* Sets name to a single value (replacing any earlier value: the last one
 * given wins, as in Rails). value NULL means "". */
void sp_set(struct sp_params *p, const char *name, const char *value);
/* Appends value to the list name (creating it). */
void sp_add_list(struct sp_params *p, const char *name, const char *value);
/* Marks name as a list even with no value (an empty YAML sequence). */
void sp_touch_list(struct sp_params *p, const char *name);

/* Removes name (nothing when absent). */
void sp_remove(struct sp_params *p, const char *name);

/* The parameter called name, or NULL. */
const struct sp_param *sp_get(const struct sp_params *p, const char *name);
/* Its single value: NULL when absent or when given as a list. */
const char *sp_str(const struct sp_params *p, const char *name);

/* Lower-cases UTF-8 text: ASCII, Latin-1 and Latin Extended-A letters
 * (É → é, Œ → œ, Ÿ → ÿ); the rest is copied unchanged. Caller frees. */
char *sp_lower(const char *s);

/* Replaces every typographic apostrophe (U+2019) by "'". Caller frees. */
char *sp_plain_apostrophes(const char *s);

#endif
