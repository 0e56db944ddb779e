/* SQL for persons (usagers). Every query is scoped to one tenant. The
 * search keys (nom_fold, nom_usage_fold, prenom_fold, nom_phon,
 * nom_usage_phon) are computed by the caller and passed like any other
 * column. Returned json_t are new references (caller decrefs). */
#ifndef CAS_PERSON_STORE_H
#define CAS_PERSON_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* The columns a caller writes, in table order, NULL-terminated: the keys
 * of the cols object of insert and update. */
extern const char *const person_store_columns[];

/* cols: column -> string or null (absent keys bind NULL). */
int person_store_insert(struct db *db, int64_t tenant_id, json_t *cols, int64_t now, int64_t *id);
/* Rewrites every column of person_store_columns and updated_at.
 * CAS_ENOTFOUND when the person is not in the tenant. */
int person_store_update(struct db *db, int64_t tenant_id, int64_t id, json_t *cols, int64_t now);
/* id, the person columns (without the search keys), created_at, updated_at.
 * NULL with *err = CAS_ENOTFOUND when not in the tenant. */
json_t *person_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);

enum person_sort {
	PERSON_SORT_NOM,       /* nom_fold, prenom_fold, id */
	PERSON_SORT_NAISSANCE, /* date_naissance, id */
	PERSON_SORT_CREATION,  /* created_at, id */
	PERSON_SORT_ID,        /* id: for cursor pagination (after_id) */
};

/* One way of reading the name typed in a search: the folded prefix of the
 * nom de naissance or nom d'usage, or their equal phonetic key; when
 * prenom is not NULL the folded prénoms must also start with it. */
struct person_name_alt {
	const char *nom_prefix; /* folded, not empty */
	const char *nom_phon;   /* phonetic key; NULL or "" to skip */
	const char *prenom_prefix;
};

/* A birth date range, bounds inclusive in storage form ("1985-03-00");
 * lo == hi is an exact date. */
struct person_date_range {
	const char *lo;
	const char *hi;
};

#define PERSON_QUERY_ALTS  3
#define PERSON_QUERY_DATES 3

struct person_query {
	struct person_name_alt alts[PERSON_QUERY_ALTS]; /* OR-ed; nalts 0: any name */
	int nalts;
	struct person_date_range dates[PERSON_QUERY_DATES]; /* OR-ed; ndates 0: any date */
	int ndates;
	enum person_sort sort;
	int desc;
	int limit;        /* rows at most (> 0) */
	int offset;       /* rows to skip */
	int64_t after_id; /* only ids above it (0: all) */
};

/* The persons of the tenant matching q, as a new array of the columns of
 * person_store_get; NULL on a database error. */
json_t *person_store_search(struct db *db, int64_t tenant_id, const struct person_query *q);
/* How many match q (ignoring sort, limit, offset). */
int person_store_count(struct db *db, int64_t tenant_id, const struct person_query *q, int64_t *n);

#endif
