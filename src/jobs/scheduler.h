/* The background jobs of `cassis serve`: one thread that wakes every tick
 * and runs each job whose period has come (app/jobs.h), claimed in the
 * database so that, of several processes on one database, exactly one runs
 * each period. The jobs: "sessions" (expired sessions) and "rate_limits"
 * (ended rate-limit windows), every 10 minutes; "audit_head" (the heads of
 * the audit chains written to the log) and "journal_acces" (the access
 * log's retention), every day; "purge" (personal data past their
 * retention, app/purge.h), every day. */
#ifndef CAS_SCHEDULER_H
#define CAS_SCHEDULER_H

#define SCHEDULER_TICK_DEFAULT 30 /* seconds */

/* Starts the thread, with its own connection to db_url (opened at the
 * first tick, opened again at a later tick when that fails). The thread
 * receives no signal: they stay with the threads that wait for them. The
 * first tick runs at once. 0, or CAS_EIO when the thread cannot start. */
int scheduler_start(const char *db_url, int tick_seconds);

/* Asks the thread to stop, waits for the job in progress to finish, and
 * closes the connection. Does nothing when the thread is not running. */
void scheduler_stop(void);

#endif
