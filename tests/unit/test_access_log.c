/* The access log: reads recorded at once outside a request and at the end
 * of one inside (the same object once), the search of the auditeurs (by
 * person, agent, dates; tenant scope; permission), the retention's purge,
 * and several threads ending requests at once (one writer at a time). */
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

#include "app/access_log.h"
#include "app/actor.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

#define T0 1717147800 /* 2024-05-31 09:30 UTC */

struct fixture {
	struct db *db;
	struct actor instr_a, audit_a, audit_b;
	int64_t ta, tb, person;
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static int64_t make_tenant(struct db *db, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, &sys, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void actor(struct actor *who, int64_t tenant, int64_t user, enum role role)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->user_id = user;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "agent%lld@ccas.fr", (long long)user);
}

static int64_t make_person(struct db *db, const struct actor *who, const char *nom)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom, "prenom1",
	              "Marie", "sexe", "F", "date_naissance", "12/03/1985", "lieu_type", "commune",
	              "commune_naissance", "75056", "nationalite", "francaise");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(person_create(db, who, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(T0);
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	f->ta = make_tenant(f->db, "21750001600019");
	f->tb = make_tenant(f->db, "26459990300012");
	actor(&f->instr_a, f->ta, 1, ROLE_INSTRUCTEUR);
	actor(&f->audit_a, f->ta, 2, ROLE_AUDITEUR);
	actor(&f->audit_b, f->tb, 3, ROLE_AUDITEUR);
	f->person = make_person(f->db, &f->instr_a, "Dupont");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	free(f);
	clock_clear_override();
	return 0;
}

static int64_t count(struct db *db, const char *where)
{
	char sql[256];
	int64_t n = -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM access_log WHERE %s", where);
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static json_t *search(struct fixture *f, const struct actor *who, struct access_query *q,
                      int64_t *total)
{
	int err = 0;
	json_t *errors = NULL;
	if (!q->limit)
		q->limit = 25;
	json_t *rows = access_log_search(f->db, who, q, total, &err, &errors);
	assert_int_equal(err, 0);
	assert_non_null(rows);
	return rows;
}

static void read_outside_a_request_is_written_at_once(void **state)
{
	struct fixture *f = *state;
	int err;
	json_t *p = person_get(f->db, &f->instr_a, f->person, &err);
	assert_non_null(p);
	json_decref(p);
	assert_int_equal(count(f->db, "object_type = 'person' AND person_id = object_id"), 1);
	/* a refused read records nothing */
	assert_null(person_get(f->db, &f->audit_b, f->person, &err));
	assert_int_equal(count(f->db, "1 = 1"), 1);
}

static void request_scope_writes_at_the_end_once(void **state)
{
	struct fixture *f = *state;
	int err;
	access_log_begin("GET", "/usagers/{id}");
	for (int i = 0; i < 3; i++)
		json_decref(person_get(f->db, &f->instr_a, f->person, &err));
	access_log_read_about(f->db, &f->instr_a, "dossier", 55, f->person);
	assert_int_equal(count(f->db, "1 = 1"), 0); /* nothing before the end */
	access_log_end(f->db);
	assert_int_equal(count(f->db, "1 = 1"), 0); /* queued for the flusher */
	access_log_flush(f->db);
	assert_int_equal(count(f->db, "route = 'GET /usagers/{id}'"), 2);
	assert_int_equal(count(f->db, "object_type = 'dossier' AND person_id IS NOT NULL"), 1);
	/* a scope ended without a connection drops its reads */
	access_log_begin("GET", "/usagers/{id}");
	json_decref(person_get(f->db, &f->instr_a, f->person, &err));
	access_log_end(NULL);
	access_log_end(f->db);
	access_log_flush(f->db);
	assert_int_equal(count(f->db, "1 = 1"), 2);
}

static void auditeur_finds_who_viewed_a_person(void **state)
{
	struct fixture *f = *state;
	int64_t other = make_person(f->db, &f->instr_a, "Martin");
	struct actor instr2;
	actor(&instr2, f->ta, 4, ROLE_INSTRUCTEUR);
	access_log_read(f->db, &f->instr_a, "person", f->person);
	clock_set_override(T0 + 86400 * 3);
	access_log_read(f->db, &instr2, "person", f->person);
	access_log_read(f->db, &instr2, "person", other);
	access_log_read_about(f->db, &instr2, "consultation", 9, f->person);
	/* a read still queued is found: the search writes the queue first */
	access_log_begin("GET", "/api/v1/persons/{id}");
	access_log_read(f->db, &instr2, "person", f->person);
	access_log_end(f->db);
	int64_t total = 0;
	struct access_query q = {.person_id = f->person};
	json_t *rows = search(f, &f->audit_a, &q, &total);
	assert_int_equal(total, 4);
	json_t *first = json_array_get(rows, 0); /* newest first */
	assert_string_equal(json_string_value(json_object_get(first, "route")),
	                    "GET /api/v1/persons/{id}");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(rows, 1), "object_type")),
	    "consultation");
	assert_string_equal(json_string_value(json_object_get(first, "person")), "Dupont Marie");
	json_decref(rows);
	struct access_query by_agent = {.actor_id = 1};
	json_decref(search(f, &f->audit_a, &by_agent, &total));
	assert_int_equal(total, 1);
	struct access_query range = {.du = "03/06/2024", .au = "2024-06-03"};
	json_decref(search(f, &f->audit_a, &range, &total));
	assert_int_equal(total, 4);
	struct access_query before = {.au = "01/06/2024", .asc = 1};
	json_decref(search(f, &f->audit_a, &before, &total));
	assert_int_equal(total, 1);
}

static void search_is_checked(void **state)
{
	struct fixture *f = *state;
	access_log_read(f->db, &f->instr_a, "person", f->person);
	int err = 0;
	int64_t total = 0;
	json_t *errors = NULL;
	struct access_query q = {.limit = 25};
	assert_null(access_log_search(f->db, &f->instr_a, &q, &total, &err, &errors));
	assert_int_equal(err, CAS_EPERM);
	/* another tenant's auditeur sees nothing of it */
	json_decref(search(f, &f->audit_b, &q, &total));
	assert_int_equal(total, 0);
	struct access_query bad = {.du = "32/01/2024", .au = "2024", .limit = 25};
	assert_null(access_log_search(f->db, &f->audit_a, &bad, &total, &err, &errors));
	assert_int_equal(err, CAS_EINVAL);
	assert_non_null(json_object_get(errors, "du"));
	assert_non_null(json_object_get(errors, "au"));
	json_decref(errors);
	errors = NULL;
	struct access_query inverted = {.du = "02/06/2024", .au = "01/06/2024", .limit = 25};
	assert_null(access_log_search(f->db, &f->audit_a, &inverted, &total, &err, &errors));
	assert_non_null(json_object_get(errors, "au"));
	json_decref(errors);
	char *name = access_log_person_name(f->db, &f->audit_a, f->person);
	assert_string_equal(name, "Dupont Marie");
	free(name);
	assert_null(access_log_person_name(f->db, &f->audit_b, f->person));
}

static void cutoff_is_calendar_months_in_paris(void **state)
{
	/* 2024-05-31 09:30 UTC - 12 months: 2023-05-31 00:00 Paris (22:00 UTC the day before) */
	assert_int_equal(access_log_cutoff(T0, 12), 1685484000);
	/* 2024-03-31 12:00 UTC - 1 month: 2024-02-29 00:00 Paris (UTC+1) */
	assert_int_equal(access_log_cutoff(1711886400, 1), 1709161200);
}

static void purge_keeps_the_retention(void **state)
{
	struct fixture *f = *state;
	clock_set_override(T0 - 400 * 86400); /* older than 12 months */
	access_log_read(f->db, &f->instr_a, "person", f->person);
	clock_set_override(T0 - 200 * 86400); /* within 12 months, older than 6 */
	access_log_read(f->db, &f->instr_a, "person", f->person);
	access_log_read(f->db, &f->audit_b, "person", 4242);
	clock_set_override(T0);
	access_log_read(f->db, &f->instr_a, "person", f->person);
	json_t *result = NULL;
	assert_int_equal(access_log_purge(f->db, &f->audit_a, T0, &result), CAS_EPERM);
	assert_int_equal(access_log_purge(f->db, &sys, T0, &result), 0);
	assert_int_equal(json_integer_value(json_object_get(result, "deleted")), 1);
	json_decref(result);
	assert_int_equal(count(f->db, "1 = 1"), 3);
	/* tenant B keeps 6 months only */
	char sql[128];
	snprintf(sql, sizeof(sql),
	         "UPDATE tenants SET conservation_journal_acces = 6 WHERE id = %lld",
	         (long long)f->tb);
	assert_int_equal(db_exec(f->db, sql), 0);
	assert_int_equal(access_log_purge(f->db, &sys, T0, &result), 0);
	assert_int_equal(json_integer_value(json_object_get(result, "deleted")), 1);
	json_decref(result);
	assert_int_equal(count(f->db, "1 = 1"), 2);
}

/* --- requests ending at once --- */

#define THREADS  4
#define REQUESTS 50

struct server_thread {
	const char *url;
	const struct actor *who;
	int64_t person;
	pthread_barrier_t *go;
	int failed;
};

static void *serve_requests(void *arg)
{
	struct server_thread *t = arg;
	struct db *db;
	if (db_open(t->url, &db) != 0) {
		t->failed = 1;
		pthread_barrier_wait(t->go);
		return NULL;
	}
	pthread_barrier_wait(t->go);
	for (int i = 0; i < REQUESTS; i++) {
		int err;
		access_log_begin("GET", "/usagers/{id}");
		db_read_begin(db);
		json_t *p = person_get(db, t->who, t->person, &err);
		t->failed += p == NULL;
		json_decref(p);
		access_log_read_about(db, t->who, "dossier", i + 1, t->person);
		db_read_end(db);
		access_log_end(db);
	}
	db_close(db);
	return NULL;
}

static void requests_ending_at_once_lose_nothing(void **state)
{
	struct fixture *f = *state;
	char path[64] = "", url[80];
	struct db *db = f->db;
	struct actor who = f->instr_a;
	int64_t person = f->person;
	if (strstr(testdb_url(), ":memory:")) {
		snprintf(path, sizeof(path), "/tmp/cassis-access-%ld.db", (long)getpid());
		snprintf(url, sizeof(url), "sqlite:%s", path);
		unlink(path);
		assert_int_equal(db_open(url, &db), 0);
		assert_int_equal(migrate_up(db, NULL), 0);
		actor(&who, make_tenant(db, "21750001600019"), 1, ROLE_INSTRUCTEUR);
		person = make_person(db, &who, "Dupont");
	} else {
		snprintf(url, sizeof(url), "%s", testdb_url());
	}
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, THREADS);
	struct server_thread t[THREADS];
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++) {
		t[i] = (struct server_thread){url, &who, person, &go, 0};
		assert_int_equal(pthread_create(&th[i], NULL, serve_requests, &t[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(t[i].failed, 0);
	}
	pthread_barrier_destroy(&go);
	access_log_flush(db);
	assert_int_equal(count(db, "object_type = 'person'"), THREADS * REQUESTS);
	assert_int_equal(count(db, "object_type = 'dossier'"), THREADS * REQUESTS);
	if (path[0]) {
		db_close(db);
		char side[80];
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(read_outside_a_request_is_written_at_once, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(request_scope_writes_at_the_end_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(auditeur_finds_who_viewed_a_person, setup, teardown),
	    cmocka_unit_test_setup_teardown(search_is_checked, setup, teardown),
	    cmocka_unit_test(cutoff_is_calendar_months_in_paris),
	    cmocka_unit_test_setup_teardown(purge_keeps_the_retention, setup, teardown),
	    cmocka_unit_test_setup_teardown(requests_ending_at_once_lose_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
