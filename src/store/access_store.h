/* SQL for the access log (table access_log, migration 013): who read a
 * person, a dossier, a consultation record or a document. Apart from the
 * business tables; every query is scoped to one tenant. Returned json_t
 * are new references (caller decrefs). */
#ifndef CAS_ACCESS_STORE_H
#define CAS_ACCESS_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct access_row {
	int64_t tenant_id;
	int64_t at;
	int64_t actor_id;   /* 0: an API key */
	int64_t api_key_id; /* 0: a user */
	const char *actor_label;
	const char *object_type;
	int64_t object_id;
	int64_t person_id; /* 0: unknown */
	const char *route;
};

/* n rows, by multi-row INSERTs (64 rows a statement at most). */
int access_store_insert_many(struct db *db, const struct access_row *rows, size_t n);

/* The applicant of the dossier of a document, 0 when unknown. */
int64_t access_store_document_person(struct db *db, int64_t tenant_id, int64_t document_id);

struct access_filter {
	int64_t person_id; /* 0: any */
	int64_t actor_id;  /* 0: any */
	int64_t from;      /* at >= from; 0: no bound */
	int64_t until;     /* at < until; 0: no bound */
	int asc;           /* oldest first */
	int64_t offset;
	int limit;
};

/* A page of entries: {id, at, actor_id, api_key_id, actor_label,
 * actor_name (the user's display name, or null), object_type, object_id,
 * person_id, nom_naissance, nom_usage, prenom1 (of the person, null when
 * unknown or purged), route}; *total (may be NULL) gets the number of
 * matches. NULL on error. */
json_t *access_store_search(struct db *db, int64_t tenant_id, const struct access_filter *f,
                            int64_t *total);

/* The tenant's accounts, for the filter by agent: [{id, display_name,
 * email}] by name. */
json_t *access_store_agents(struct db *db, int64_t tenant_id);

/* Every tenant with its retention of the access log in months:
 * [{id, months}]. */
json_t *access_store_retentions(struct db *db);

/* Deletes up to batch entries of the tenant older than before; *n gets how
 * many. */
int access_store_purge_batch(struct db *db, int64_t tenant_id, int64_t before, int batch,
                             int64_t *n);

#endif
