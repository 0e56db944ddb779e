/* SQL for the runs of the periodic jobs (table job_runs): the claim of one
 * period's slot by one server process, and the record of its outcome. */
#ifndef CAS_JOB_STORE_H
#define CAS_JOB_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Claims (job, slot) for host: 1 when this call inserted the run, 0 when a
 * run of that slot exists already (claimed by this or another process),
 * negative cas_err on failure. One statement, INSERT ... ON CONFLICT DO
 * NOTHING RETURNING: of several processes claiming one slot at once,
 * exactly one gets the row, whatever the engine (see app/jobs.h). */
int job_store_claim(struct db *db, const char *job, int64_t slot, int64_t now, const char *host);

/* Records the end of a claimed run: finished_at and result (JSON text). */
int job_store_finish(struct db *db, const char *job, int64_t slot, int64_t now, const char *result);

/* The runs of job, latest slot first, at most limit: job, slot, started_at,
 * finished_at, host, result. A new array (caller decrefs), NULL on error. */
json_t *job_store_list(struct db *db, const char *job, int64_t limit);

#endif
