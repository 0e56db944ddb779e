/* Periodic maintenance jobs, run as the system actor (actor_system) by the
 * scheduler of `cassis serve` (src/jobs), and the claim that lets several
 * server processes on one database run each period of each job once.
 *
 * A job has a name and a period; its periods are numbered by slot =
 * floor(now / period). Every process tries every slot; jobs_run first
 * claims the slot with one statement,
 *   INSERT INTO job_runs ... ON CONFLICT (job, slot) DO NOTHING RETURNING slot,
 * and runs the work only when the row came back. For periodic jobs this is
 * what SELECT ... FOR UPDATE SKIP LOCKED gives a queue: the primary key
 * admits one row per (job, slot), so of the processes that claim a slot at
 * the same time exactly one inserts it (PostgreSQL makes the others wait
 * on the key for the winner's commit, then insert nothing; SQLite runs the
 * writers one after the other), and the others move on without running
 * it. No queue needs to be filled beforehand, since the clock tells the
 * slots, and both engines accept the statement (SQLite 3.35 or later).
 * The claim commits before the work starts: no lock is held while the job
 * runs. A process that stops during a run leaves a row without
 * finished_at; the next period runs the job again (every job here is an
 * idempotent purge). */
#ifndef CAS_JOBS_H
#define CAS_JOBS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

struct job {
	const char *name; /* job_runs.job, and the log */
	int period;       /* seconds, >= 1 */
	/* The work: *result a new JSON object of counts (never personal data);
	 * 0 or a negative cas_err. */
	int (*work)(struct db *db, const struct actor *who, int64_t now, json_t **result);
};

/* The slot of job that holds now: floor(now / period). */
int64_t jobs_slot(const struct job *job, int64_t now);

/* Claims the slot of job at now for host ("hostname:pid") and runs it.
 * 1 when this call claimed the slot: the work ran, *result (a new object,
 * caller decrefs) holds its counts, or {"error": name} when the work or
 * its record failed, and the same text is in job_runs.result. 0 when the
 * slot was claimed already, here or by another process (*result NULL).
 * A negative cas_err when the claim failed: nothing ran, try again later.
 * CAS_EPERM unless who is the system. */
int jobs_run(struct db *db, const struct actor *who, const struct job *job, int64_t now,
             const char *host, json_t **result);

/* The work of the "sessions" job: deletes the sessions that expired (idle
 * for AUTH_IDLE_SECONDS, or opened AUTH_ABSOLUTE_SECONDS ago) at now.
 * *result: {"deleted": n}. CAS_EPERM unless who is the system. */
int jobs_purge_sessions(struct db *db, const struct actor *who, int64_t now, json_t **result);

/* The work of the "rate_limits" job: deletes the rate-limit windows that
 * ended (app/ratelimit.h). *result: {"deleted": n}. */
int jobs_purge_rate_limits(struct db *db, const struct actor *who, int64_t now, json_t **result);

#endif
