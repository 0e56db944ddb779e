/* The access log: every read of a person, a dossier, a consultation record
 * or a document records who, when, what (object type and id) and through
 * which route, in its own table (store/access_store.h), apart from the
 * business tables and outside their transactions.
 *
 * In a request (web/dispatch.c opens a scope with access_log_begin and
 * closes it with access_log_end once the reads are over), the reads are
 * gathered, the same object once, and queued in memory; the scheduler's
 * thread (src/jobs) writes the queue every ACCESS_LOG_FLUSH_MS in one
 * transaction, and once more when the server stops. A page view thus
 * writes nothing itself (with SQLite, each commit would also empty every
 * other connection's page cache): a crash loses at most the reads of the
 * last ACCESS_LOG_FLUSH_MS. Outside a scope (command line, tests) a read is
 * written at once, in the caller's transaction when one is open.
 *
 * Auditeurs search it (PERM_AUDIT_READ): "who viewed this person". The
 * entries are kept conservation_journal_acces months (tenants, 6 to 12,
 * default ACCESS_LOG_MONTHS_DEFAULT), then deleted by the daily job
 * "journal_acces" (access_log_purge). */
#ifndef CAS_ACCESS_LOG_H
#define CAS_ACCESS_LOG_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

#define ACCESS_LOG_MONTHS_DEFAULT 12

/* Records that who read the object: object_type "person", "dossier",
 * "consultation" or "document" (a static string), object_id its id.
 * Call it once the object was read and is about to be shown or returned.
 * A document's person is found from its dossier. Never fails the read:
 * an entry that cannot be written is reported in the server log. */
void access_log_read(struct db *db, const struct actor *who, const char *object_type,
                     int64_t object_id);
/* The same, naming the person the object is about (0: unknown). */
void access_log_read_about(struct db *db, const struct actor *who, const char *object_type,
                           int64_t object_id, int64_t person_id);

#define ACCESS_LOG_FLUSH_MS 250

/* The request scope of the calling thread: route as "GET /usagers/{id}"
 * (the pattern, never the query string). access_log_end queues what the
 * request read (db NULL drops it); it writes the queue itself only when
 * the queue has grown far beyond what the flusher keeps up with. */
void access_log_begin(const char *method, const char *route);
void access_log_end(struct db *db);

/* Writes every queued read, after the writing in progress if any, in one
 * transaction on db. Called by the scheduler's thread, and before reading
 * the log (access_log_search does; a reader of access_store does it first). */
void access_log_flush(struct db *db);

struct access_query {
	int64_t person_id; /* 0: any */
	int64_t actor_id;  /* 0: any agent */
	const char *du;    /* first day, JJ/MM/AAAA or AAAA-MM-JJ; NULL or "": open */
	const char *au;    /* last day, included */
	int asc;           /* oldest first */
	int64_t offset;
	int limit; /* 1..200 */
};

/* The entries of the actor's tenant matching q, newest first (oldest with
 * asc): a new array of {id, at, actor_id, actor_label, actor_name,
 * object_type, object_id, person_id, person (display name or null),
 * route}; *total the number of matches. PERM_AUDIT_READ. CAS_EINVAL with
 * *errors (du, au: French messages) for an unreadable or inverted range. */
json_t *access_log_search(struct db *db, const struct actor *who, const struct access_query *q,
                          int64_t *total, int *err, json_t **errors);

/* The accounts of the actor's tenant, for the filter by agent: [{id,
 * display_name, email}]. PERM_AUDIT_READ. */
json_t *access_log_agents(struct db *db, const struct actor *who, int *err);

/* The name of a person of the actor's tenant for the page's heading
 * ("DUPONT Marie"), without recording a read: a new string (caller frees
 * with free) or NULL when the person is unknown. PERM_AUDIT_READ. */
char *access_log_person_name(struct db *db, const struct actor *who, int64_t person_id);

/* The work of the daily job "journal_acces" (app/jobs.h): deletes, tenant
 * by tenant and in batches, the entries older than the tenant's retention
 * at now. *result: {"deleted": n}. PERM_MAINTENANCE. */
int access_log_purge(struct db *db, const struct actor *who, int64_t now, json_t **result);

/* The first instant kept when purging at now with a retention of months:
 * the same Paris date months earlier, at midnight Paris time. */
int64_t access_log_cutoff(int64_t now, int months);

#endif
