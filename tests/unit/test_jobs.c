/* Background jobs and rate limits on the store suite's backend (testdb.h):
 * a job's slot is claimed once, whoever claims it; the purges delete what
 * expired and say how much; the rate limiter counts every request of a
 * window, also when two connections (two server processes) race. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/auth.h"
#include "app/jobs.h"
#include "app/ratelimit.h"
#include "base/err.h"
#include "store/db.h"
#include "store/job_store.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/rate_store.h"
#include "store/session_store.h"
#include "testdb.h"

#define T0 ((int64_t)1800000000) /* a multiple of 600 and of 60 */

static struct actor sys;

static int setup(void **state)
{
	struct db *db;
	testdb_open(&db);
	assert_int_equal(migrate_up(db, NULL), 0);
	actor_system(&sys, "tâche planifiée");
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static void json_is(json_t *got, const char *want)
{
	char *text = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
	json_decref(got);
}

/* ---- rate limits ---- */

static void limit_counts_the_window(void **state)
{
	struct db *db = *state;
	int retry = -1;
	int64_t now = T0 + 10;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(db, "api:1", 3, 60, now, &retry), 0);
	assert_int_equal(retry, 0);
	assert_int_equal(ratelimit_take(db, "api:1", 3, 60, now + 5, &retry), CAS_ELOCKED);
	assert_int_equal(retry, 45); /* the window ends at T0 + 60 */
	assert_int_equal(ratelimit_take(db, "api:1", 3, 60, T0 + 59, &retry), CAS_ELOCKED);
	assert_int_equal(retry, 1);
	assert_int_equal(ratelimit_take(db, "api:2", 3, 60, now, &retry), 0);     /* another key */
	assert_int_equal(ratelimit_take(db, "api:1", 3, 60, T0 + 60, &retry), 0); /* next window */
	int64_t c = 0;
	assert_int_equal(rate_store_hit(db, "api:1", T0, &c), 0);
	assert_int_equal(c, 6); /* refused requests count too */
}

static void limit_zero_counts_nothing(void **state)
{
	struct db *db = *state;
	int retry = -1;
	for (int i = 0; i < 5; i++)
		assert_int_equal(ratelimit_take(db, "api:9", 0, 60, T0, &retry), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM rate_limits"), 0);
	assert_int_equal(ratelimit_take(db, "api:9", 1, 0, T0, &retry), CAS_EINVAL);
	assert_int_equal(ratelimit_take(db, "api:9", 1, RATELIMIT_MAX_WINDOW + 1, T0, &retry),
	                 CAS_EINVAL);
}

static void purge_deletes_the_windows_that_ended(void **state)
{
	struct db *db = *state;
	int64_t c = 0, deleted = -1;
	const int64_t starts[] = {T0 - 7200, T0 - 3600, T0 - 3540, T0 - 60, T0};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		assert_int_equal(rate_store_hit(db, "api:1", starts[i], &c), 0);
	json_t *result = NULL;
	assert_int_equal(jobs_purge_rate_limits(db, &sys, T0, &result), 0);
	json_is(result, "{\"deleted\":2}");
	assert_int_equal(count(db, "SELECT count(*) FROM rate_limits"), 3);
	assert_int_equal(count(db, "SELECT min(window_start) FROM rate_limits"), T0 - 3540);
	assert_int_equal(rate_store_delete_before(db, T0 - 3540, &deleted), 0);
	assert_int_equal(deleted, 0);
}

/* ---- jobs ---- */

static int work_calls;

static int counting_work(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	work_calls++;
	*result = json_pack("{s:i, s:I}", "calls", work_calls, "now", (json_int_t)now);
	return 0;
}

static int failing_work(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	*result = NULL;
	return CAS_EDB;
}

static const struct job counting = {"comptage", 600, counting_work};

static void claim_is_once_per_slot(void **state)
{
	struct db *db = *state;
	assert_int_equal(job_store_claim(db, "a", 7, T0, "h1:1"), 1);
	assert_int_equal(job_store_claim(db, "a", 7, T0 + 1, "h2:2"), 0);
	assert_int_equal(job_store_claim(db, "a", 8, T0, "h2:2"), 1);
	assert_int_equal(job_store_claim(db, "b", 7, T0, "h2:2"), 1);
	assert_int_equal(job_store_finish(db, "a", 7, T0 + 3, "{\"deleted\":1}"), 0);
	json_is(job_store_list(db, "a", 10),
	        "[{\"finished_at\":null,\"host\":\"h2:2\",\"job\":\"a\",\"result\":null,"
	        "\"slot\":8,\"started_at\":1800000000},"
	        "{\"finished_at\":1800000003,\"host\":\"h1:1\",\"job\":\"a\","
	        "\"result\":\"{\\\"deleted\\\":1}\",\"slot\":7,\"started_at\":1800000000}]");
}

static void run_does_each_slot_once(void **state)
{
	struct db *db = *state;
	json_t *result = NULL;
	work_calls = 0;
	assert_int_equal(jobs_slot(&counting, T0 + 599), T0 / 600);
	assert_int_equal(jobs_run(db, &sys, &counting, T0 + 1, "h1:1", &result), 1);
	json_is(result, "{\"calls\":1,\"now\":1800000001}");
	assert_int_equal(jobs_run(db, &sys, &counting, T0 + 599, "h2:2", &result), 0);
	assert_null(result);
	assert_int_equal(work_calls, 1);
	assert_int_equal(jobs_run(db, &sys, &counting, T0 + 600, "h2:2", &result), 1);
	json_decref(result);
	assert_int_equal(work_calls, 2);
	json_t *runs = job_store_list(db, "comptage", 10);
	assert_int_equal(json_array_size(runs), 2);
	json_t *first = json_array_get(runs, 1);
	assert_string_equal(json_string_value(json_object_get(first, "result")),
	                    "{\"calls\":1,\"now\":1800000001}");
	assert_string_equal(json_string_value(json_object_get(first, "host")), "h1:1");
	assert_true(json_is_integer(json_object_get(first, "finished_at")));
	json_decref(runs);
}

static void run_records_a_failure(void **state)
{
	struct db *db = *state;
	const struct job failing = {"panne", 60, failing_work};
	json_t *result = NULL;
	assert_int_equal(jobs_run(db, &sys, &failing, T0, "h1:1", &result), 1);
	json_is(result, "{\"error\":\"database\"}");
	json_t *row = q_row(db, NULL, "SELECT result FROM job_runs WHERE job = 'panne'", "");
	json_is(row, "{\"result\":\"{\\\"error\\\":\\\"database\\\"}\"}");
}

static void jobs_are_for_the_system_only(void **state)
{
	struct db *db = *state;
	struct actor admin = {.role = ROLE_ADMINISTRATEUR, .tenant_id = 1, .user_id = 1};
	struct actor platform = {.role = ROLE_PLATEFORME, .user_id = 1};
	json_t *result = NULL;
	assert_int_equal(jobs_run(db, &admin, &counting, T0, "h", &result), CAS_EPERM);
	assert_int_equal(jobs_run(db, &platform, &counting, T0, "h", &result), CAS_EPERM);
	assert_int_equal(jobs_purge_sessions(db, &platform, T0, &result), CAS_EPERM);
	assert_int_equal(jobs_purge_rate_limits(db, &admin, T0, &result), CAS_EPERM);
	assert_null(result);
	assert_int_equal(count(db, "SELECT count(*) FROM job_runs"), 0);
}

static void purge_deletes_expired_sessions(void **state)
{
	struct db *db = *state;
	int64_t user = 0;
	assert_int_equal(q_int(db, &user,
	                       "INSERT INTO users (email, display_name, role, password_hash, "
	                       "created_at) VALUES ('p@cassis.fr', 'P', 'plateforme', 'x', 0) "
	                       "RETURNING id",
	                       ""),
	                 1);
	int64_t now = T0;
	assert_int_equal(session_store_insert(db, "frais", user, "c1", now - 60), 0);
	assert_int_equal(
	    session_store_insert(db, "oublie", user, "c2", now - AUTH_IDLE_SECONDS - 1), 0);
	assert_int_equal(
	    session_store_insert(db, "ancien", user, "c3", now - AUTH_ABSOLUTE_SECONDS - 1), 0);
	assert_int_equal(session_store_touch(db, "ancien", now - 10), 0); /* active, but too old */
	json_t *result = NULL;
	assert_int_equal(jobs_purge_sessions(db, &sys, now, &result), 0);
	json_is(result, "{\"deleted\":2}");
	json_is(q_rows(db, "SELECT token_hash FROM sessions", ""), "[{\"token_hash\":\"frais\"}]");
	assert_int_equal(jobs_purge_sessions(db, &sys, now, &result), 0);
	json_is(result, "{\"deleted\":0}");
}

/* ---- two connections racing ---- */

#define SLOTS 60
#define TAKES 30
#define LIMIT 20

struct racer {
	struct db *db;
	pthread_barrier_t *go;
	int won[SLOTS];
	int passed, refused, errors;
};

static void *claim_slots(void *arg)
{
	struct racer *r = arg;
	for (int i = 0; i < SLOTS; i++) {
		pthread_barrier_wait(r->go); /* both claim slot i at the same moment */
		int rc = job_store_claim(r->db, "course", T0 / 60 + i, T0, "racer");
		if (rc < 0)
			r->errors++;
		r->won[i] = rc == 1;
	}
	return NULL;
}

static void *take_requests(void *arg)
{
	struct racer *r = arg;
	int retry;
	for (int i = 0; i < TAKES; i++) {
		pthread_barrier_wait(r->go);
		int rc = ratelimit_take(r->db, "api:course", LIMIT, 60, T0 + 30, &retry);
		if (rc == 0)
			r->passed++;
		else if (rc == CAS_ELOCKED && retry == 30)
			r->refused++;
		else
			r->errors++;
	}
	return NULL;
}

/* Two connections on the suite's database; in-memory SQLite has no second
 * connection to the same database, so a temporary file then. */
struct pair {
	struct db *a, *b;
	char path[64];
};

static void pair_open(struct db *db, struct pair *p)
{
	memset(p, 0, sizeof(*p));
	if (!strstr(testdb_url(), ":memory:")) {
		p->a = db;
		assert_int_equal(db_open(testdb_url(), &p->b), 0);
		return;
	}
	char url[80];
	snprintf(p->path, sizeof(p->path), "/tmp/cassis-jobs-%ld.db", (long)getpid());
	snprintf(url, sizeof(url), "sqlite:%s", p->path);
	unlink(p->path);
	assert_int_equal(db_open(url, &p->a), 0);
	assert_int_equal(migrate_up(p->a, NULL), 0);
	assert_int_equal(db_open(url, &p->b), 0);
}

static void pair_close(struct db *db, struct pair *p)
{
	db_close(p->b);
	if (p->a == db)
		return;
	db_close(p->a);
	char side[80];
	unlink(p->path);
	snprintf(side, sizeof(side), "%s-wal", p->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", p->path);
	unlink(side);
}

static void race(struct pair *p, void *(*fn)(void *), struct racer r[2])
{
	pthread_barrier_t go;
	pthread_t t[2];
	pthread_barrier_init(&go, NULL, 2);
	memset(r, 0, 2 * sizeof(*r));
	r[0].db = p->a;
	r[1].db = p->b;
	for (int i = 0; i < 2; i++) {
		r[i].go = &go;
		assert_int_equal(pthread_create(&t[i], NULL, fn, &r[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
}

static void two_connections_claim_each_slot_once(void **state)
{
	struct pair p;
	struct racer r[2];
	pair_open(*state, &p);
	race(&p, claim_slots, r);
	assert_int_equal(r[0].errors + r[1].errors, 0);
	int wins[2] = {0, 0};
	for (int i = 0; i < SLOTS; i++) {
		assert_int_equal(r[0].won[i] + r[1].won[i], 1); /* exactly one winner */
		wins[0] += r[0].won[i];
		wins[1] += r[1].won[i];
	}
	print_message("slots won: %d and %d\n", wins[0], wins[1]);
	assert_int_equal(count(p.a, "SELECT count(*) FROM job_runs WHERE job = 'course'"), SLOTS);
	pair_close(*state, &p);
}

static void two_connections_share_one_limit(void **state)
{
	struct pair p;
	struct racer r[2];
	pair_open(*state, &p);
	race(&p, take_requests, r);
	assert_int_equal(r[0].errors + r[1].errors, 0);
	print_message("passed: %d and %d\n", r[0].passed, r[1].passed);
	assert_int_equal(r[0].passed + r[1].passed, LIMIT);
	assert_int_equal(r[0].refused + r[1].refused, 2 * TAKES - LIMIT);
	pair_close(*state, &p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(limit_counts_the_window, setup, teardown),
	    cmocka_unit_test_setup_teardown(limit_zero_counts_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(purge_deletes_the_windows_that_ended, setup, teardown),
	    cmocka_unit_test_setup_teardown(claim_is_once_per_slot, setup, teardown),
	    cmocka_unit_test_setup_teardown(run_does_each_slot_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(run_records_a_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(jobs_are_for_the_system_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(purge_deletes_expired_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(two_connections_claim_each_slot_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(two_connections_share_one_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
