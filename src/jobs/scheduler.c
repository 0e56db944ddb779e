#include "jobs/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/audit_verify.h"
#include "app/jobs.h"
#include "app/purge.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/db.h"

/* Every job, tried in this order at each tick. */
static const struct job jobs[] = {
    {"sessions", 600, jobs_purge_sessions},
    {"rate_limits", 600, jobs_purge_rate_limits},
    /* logs (app/audit_verify.h, app/access_log.h): the heads of the audit
     * chains to the server log, the access log's retention */
    {"audit_head", 86400, audit_heads_job},
    {"journal_acces", 86400, access_log_purge},
    /* retention (app/purge.h): the purge of personal data past their retention */
    {"purge", 86400, purge_job},
};
#define NJOBS ((int)(sizeof(jobs) / sizeof(jobs[0])))

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running;
	int stopping; /* under lock */
	const char *db_url;
	int tick;
	struct db *db;
	int64_t tried[NJOBS]; /* last slot claimed here or found claimed; -1: none */
	char host[128];
	struct actor who;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int stopping(void)
{
	pthread_mutex_lock(&sched.lock);
	int v = sched.stopping;
	pthread_mutex_unlock(&sched.lock);
	return v;
}

static void log_run(const struct job *job, int64_t slot, json_t *result, int64_t started_ms)
{
	int failed = json_object_get(result, "error") != NULL;
	log_event(failed ? LOG_WARN : LOG_INFO, "job",
	          json_pack("{s:s, s:I, s:O, s:I}", "job", job->name, "slot", (json_int_t)slot,
	                    "result", result, "duration_ms",
	                    (json_int_t)(clock_real_ms() - started_ms)));
}

/* Tries the slot of job that holds now, unless tried already. */
static void run_job(int i)
{
	const struct job *job = &jobs[i];
	int64_t now = clock_now(), slot = jobs_slot(job, now), t0 = clock_real_ms();
	if (slot == sched.tried[i])
		return;
	json_t *result = NULL;
	int rc = jobs_run(sched.db, &sched.who, job, now, sched.host, &result);
	if (rc < 0) { /* not claimed: the next tick tries again */
		log_event(LOG_WARN, "job not claimed",
		          json_pack("{s:s, s:I, s:s}", "job", job->name, "slot", (json_int_t)slot,
		                    "error", cas_err_name(rc)));
		return;
	}
	sched.tried[i] = slot;
	if (rc == 1)
		log_run(job, slot, result, t0);
	else
		log_event(LOG_DEBUG, "job run elsewhere",
		          json_pack("{s:s, s:I}", "job", job->name, "slot", (json_int_t)slot));
	json_decref(result);
}

static void tick(void)
{
	if (!sched.db && db_open(sched.db_url, &sched.db) != 0) {
		sched.db = NULL;
		log_msg(LOG_WARN, "jobs: cannot open the database, next try in %d s", sched.tick);
		return;
	}
	for (int i = 0; i < NJOBS && !stopping(); i++)
		run_job(i);
}

/* Writes the reads queued for the access log (app/access_log.h). */
static void flush_access_log(void)
{
	if (sched.db)
		access_log_flush(sched.db);
}

static int before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Waits until *until, or less when asked to stop; 1 when asked. */
static int wait_until(const struct timespec *until)
{
	pthread_mutex_lock(&sched.lock);
	while (!sched.stopping &&
	       pthread_cond_timedwait(&sched.wake, &sched.lock, until) != ETIMEDOUT)
		;
	int stop = sched.stopping;
	pthread_mutex_unlock(&sched.lock);
	return stop;
}

/* Waits one tick, or less when asked to stop, writing the access log every
 * ACCESS_LOG_FLUSH_MS meanwhile. */
static void wait_tick(void)
{
	struct timespec until, step;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += sched.tick;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &step);
		step.tv_nsec += ACCESS_LOG_FLUSH_MS * 1000000L;
		step.tv_sec += step.tv_nsec / 1000000000L;
		step.tv_nsec %= 1000000000L;
		int last = !before(&step, &until);
		if (wait_until(last ? &until : &step) || last)
			return;
		flush_access_log();
	}
}

static void *loop(void *arg)
{
	while (!stopping()) {
		tick();
		wait_tick();
	}
	flush_access_log(); /* the reads of the last requests */
	db_close(sched.db);
	sched.db = NULL;
	return NULL;
}

static void init_state(const char *db_url, int tick_seconds)
{
	sched.db_url = db_url;
	sched.tick = tick_seconds > 0 ? tick_seconds : SCHEDULER_TICK_DEFAULT;
	sched.stopping = 0;
	for (int i = 0; i < NJOBS; i++)
		sched.tried[i] = -1;
	char name[64] = "";
	if (gethostname(name, sizeof(name)) != 0)
		snprintf(name, sizeof(name), "?");
	name[sizeof(name) - 1] = '\0';
	snprintf(sched.host, sizeof(sched.host), "%s:%ld", name, (long)getpid());
	actor_system(&sched.who, "tâche planifiée");
}

/* The wake-up condition on the monotonic clock: a change of the system's
 * time neither hastens nor delays a tick. */
static int init_cond(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&sched.wake, &attr);
	pthread_condattr_destroy(&attr);
	return rc;
}

int scheduler_start(const char *db_url, int tick_seconds)
{
	if (sched.running)
		return 0;
	init_state(db_url, tick_seconds);
	if (init_cond() != 0)
		return CAS_EIO;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old); /* the thread inherits a full mask */
	int rc = pthread_create(&sched.thread, NULL, loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&sched.wake);
		return CAS_EIO;
	}
	sched.running = 1;
	log_event(LOG_INFO, "jobs started", json_pack("{s:i}", "tick_seconds", sched.tick));
	return 0;
}

void scheduler_stop(void)
{
	if (!sched.running)
		return;
	pthread_mutex_lock(&sched.lock);
	sched.stopping = 1;
	pthread_cond_signal(&sched.wake);
	pthread_mutex_unlock(&sched.lock);
	pthread_join(sched.thread, NULL);
	pthread_cond_destroy(&sched.wake);
	sched.running = 0;
	log_msg(LOG_DEBUG, "jobs stopped"); /* "stopped", the server's, stays the last line */
}
