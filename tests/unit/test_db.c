/* The database layer on the store suite's backend (testdb.h): the same SQL
 * text gives the same JSON rows, in the same order, on SQLite and on
 * PostgreSQL; constraint violations are conflicts; transactions, the read
 * snapshot and the statement cache keep their contract. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/db.h"
#include "store/query.h"
#include "store/sqltext.h"
#include "testdb.h"

static void schema(struct db *db, const char *sql)
{
	char *s = db_kind(db) == DB_POSTGRESQL ? sqltext_pg_schema(sql) : strdup(sql);
	assert_int_equal(db_exec(db, s), 0);
	free(s);
}

static int setup(void **state)
{
	struct db *db;
	testdb_open(&db);
	schema(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT NOT NULL UNIQUE, "
	           "z INTEGER)");
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	testdb_close(*state);
	return 0;
}

static void insert(struct db *db, int64_t n, const char *s)
{
	int64_t id = 0;
	assert_int_equal(
	    q_int(db, &id, "INSERT INTO t (n, s) VALUES (?, ?) RETURNING id", "it", n, s), 1);
	assert_true(id > 0);
}

static void json_is(json_t *got, const char *want)
{
	char *text = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
	json_decref(got);
}

static void rows_are_typed_alike(void **state)
{
	struct db *db = *state;
	insert(db, 3, "trois");
	insert(db, 4000000000000, "grand");
	json_is(q_rows(db, "SELECT id, n, s, z FROM t ORDER BY id", ""),
	        "[{\"id\":1,\"n\":3,\"s\":\"trois\",\"z\":null},"
	        "{\"id\":2,\"n\":4000000000000,\"s\":\"grand\",\"z\":null}]");
	/* counts, sums (numeric on PostgreSQL), comparisons (boolean there),
	 * computed text, parameters whose type only a CAST tells */
	json_is(q_row(db, NULL,
	              "SELECT count(*) AS c, sum(n) AS total, max(s) AS m, "
	              "min(n) > CAST(? AS BIGINT) AS b, "
	              "coalesce(max(z), 0) AS zero, max(s) || '?' AS q, "
	              "CAST(? AS TEXT) IS NULL AS vide, nullif(CAST(? AS BIGINT), 0) AS nul "
	              "FROM t",
	              "iti", (int64_t)2, NULL, (int64_t)0),
	        "{\"b\":1,\"c\":2,\"m\":\"trois\",\"nul\":null,\"q\":\"trois?\","
	        "\"total\":4000000000003,\"vide\":1,\"zero\":0}");
}

static void accessors_agree(void **state)
{
	struct db *db = *state;
	insert(db, 7, "sept");
	struct stmt *st;
	assert_int_equal(
	    db_prepare(db, "SELECT n, s, z, n = 7 AS yes, n <> 7 AS no FROM t WHERE s = ?", &st),
	    0);
	assert_int_equal(stmt_bind_text(st, 1, "sept"), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_columns(st), 5);
	assert_int_equal(stmt_int(st, 0), 7);
	assert_string_equal(stmt_text(st, 0), "7");
	assert_string_equal(stmt_text(st, 1), "sept");
	assert_true(stmt_is_null(st, 2));
	assert_null(stmt_text(st, 2));
	assert_int_equal(stmt_int(st, 2), 0);
	assert_false(stmt_is_null(st, 1));
	assert_int_equal(stmt_int(st, 3), 1);
	assert_string_equal(stmt_text(st, 3), "1");
	assert_int_equal(stmt_int(st, 4), 0);
	assert_string_equal(stmt_text(st, 4), "0");
	assert_int_equal(stmt_step(st), 0);
	stmt_done(st);
	/* an unbound parameter is NULL; a parameter out of range an error */
	assert_int_equal(db_prepare(db, "SELECT count(*) AS c FROM t WHERE s = ?", &st), 0);
	assert_int_equal(stmt_step(st), 1);
	assert_int_equal(stmt_int(st, 0), 0);
	stmt_done(st);
	assert_int_equal(stmt_bind_int(st, 2, 1), CAS_EDB);
	stmt_done(st);
}

static void text_sorts_by_code_point(void **state)
{
	struct db *db = *state;
	const char *words[] = {"b", "B", "a", "\xc3\xa9t\xc3\xa9", "ete", "Z", "a b", "ab", "_x"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		insert(db, (int64_t)i, words[i]);
	json_is(q_rows(db, "SELECT s FROM t ORDER BY s", ""),
	        "[{\"s\":\"B\"},{\"s\":\"Z\"},{\"s\":\"_x\"},{\"s\":\"a\"},{\"s\":\"a b\"},"
	        "{\"s\":\"ab\"},{\"s\":\"b\"},{\"s\":\"ete\"},{\"s\":\"\xc3\xa9t\xc3\xa9\"}]");
	/* a prefix as a range, and LIKE with an escaped wildcard */
	json_is(q_rows(db, "SELECT s FROM t WHERE s >= ? AND s < ? ORDER BY s", "tt", "a",
	               "a\xf4\x8f\xbf\xbf"),
	        "[{\"s\":\"a\"},{\"s\":\"a b\"},{\"s\":\"ab\"}]");
	json_is(q_rows(db, "SELECT s FROM t WHERE s LIKE ? ESCAPE '\\' ORDER BY s", "t", "\\_%"),
	        "[{\"s\":\"_x\"}]");
}

static void constraints_are_conflicts(void **state)
{
	struct db *db = *state;
	insert(db, 1, "un");
	assert_int_equal(q_exec(db, "INSERT INTO t (n, s) VALUES (?, ?)", "it", (int64_t)2, "un"),
	                 CAS_ECONFLICT);
	assert_int_equal(q_exec(db, "INSERT INTO t (n, s) VALUES (?, ?)", "in", (int64_t)2),
	                 CAS_ECONFLICT);
	/* inside a transaction: the caller rolls back, and carries on */
	assert_int_equal(db_begin(db), 0);
	insert(db, 2, "deux");
	assert_int_equal(q_exec(db, "INSERT INTO t (n, s) VALUES (?, ?)", "it", (int64_t)2, "un"),
	                 CAS_ECONFLICT);
	db_rollback(db);
	int64_t n = 0;
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 1);
	/* a SQL error is not a conflict */
	assert_int_equal(q_exec(db, "INSERT INTO nowhere (n) VALUES (?)", "i", (int64_t)1),
	                 CAS_EDB);
}

static void transactions_commit_and_roll_back(void **state)
{
	struct db *db = *state;
	int64_t n = 0;
	assert_int_equal(db_begin(db), 0);
	insert(db, 1, "gardé");
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_begin(db), 0);
	insert(db, 2, "oublié");
	db_rollback(db);
	db_rollback(db); /* harmless outside a transaction */
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 1);
	/* a write after db_read_begin: db_begin ends the snapshot first */
	assert_int_equal(db_read_begin(db), 0);
	assert_int_equal(db_read_begin(db), 0); /* nested: no-op */
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(db_begin(db), 0);
	insert(db, 3, "écrit");
	assert_int_equal(db_commit(db), 0);
	db_read_end(db);
	db_read_end(db);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 2);
}

static int is_memory(void)
{
	return strstr(testdb_url(), ":memory:") != NULL;
}

static void read_snapshot_is_stable(void **state)
{
	struct db *db = *state, *other;
	if (is_memory())
		skip(); /* a second connection would see another database */
	assert_int_equal(db_open(testdb_url(), &other), 0);
	insert(db, 1, "avant");
	int64_t n = 0;
	assert_int_equal(db_read_begin(db), 0);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	insert(other, 2, "pendant");
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 1);
	db_read_end(db);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 2);
	db_close(other);
}

static void statement_cache_evicts(void **state)
{
	struct db *db = *state;
	struct stmt *first, *again;
	const char *sql = "SELECT count(*) FROM t WHERE n > ?";
	assert_int_equal(db_prepare(db, sql, &first), 0);
	assert_int_equal(db_prepare(db, sql, &again), 0);
	assert_ptr_equal(first, again);
	char text[80];
	for (int i = 0; i < 300; i++) {
		int64_t n = -1;
		snprintf(text, sizeof(text), "SELECT count(*) + %d FROM t WHERE n > ?", i);
		assert_int_equal(q_int(db, &n, text, "i", (int64_t)0), 1);
		assert_int_equal(n, i);
	}
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, "i", (int64_t)0), 1);
	assert_int_equal(n, 0);
}

/* db_lock holds until the transaction ends (PostgreSQL); on SQLite there is
 * nothing to hold, BEGIN IMMEDIATE serializes the writers. */
static void lock_lasts_until_the_end(void **state)
{
	struct db *db = *state, *other;
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_lock(db, DB_LOCK_DOSSIER_NUMBERING(7)), 0);
	if (db_kind(db) != DB_POSTGRESQL) {
		assert_int_equal(db_commit(db), 0);
		return;
	}
	const char *try = "SELECT pg_try_advisory_xact_lock(CAST(? AS BIGINT)) AS got";
	assert_int_equal(db_open(testdb_url(), &other), 0);
	json_is(q_row(other, NULL, try, "i", DB_LOCK_DOSSIER_NUMBERING(7)), "{\"got\":0}");
	json_is(q_row(other, NULL, try, "i", DB_LOCK_DOSSIER_NUMBERING(8)), "{\"got\":1}");
	assert_int_equal(db_commit(db), 0);
	json_is(q_row(other, NULL, try, "i", DB_LOCK_DOSSIER_NUMBERING(7)), "{\"got\":1}");
	db_close(other);
}

/* PostgreSQL: a connection lost outside a transaction comes back before the
 * next statement; one lost inside fails until the caller rolled back. */
static void lost_connection_comes_back(void **state)
{
	struct db *db = *state, *admin;
	if (db_kind(db) != DB_POSTGRESQL)
		skip();
	assert_int_equal(db_open(testdb_url(), &admin), 0);
	int64_t pid = 0, n = 0;
	assert_int_equal(q_int(db, &pid, "SELECT pg_backend_pid()", ""), 1);
	assert_int_equal(
	    q_exec(admin, "SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", "i", pid), 0);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1); /* re-established */
	assert_int_equal(q_int(db, &pid, "SELECT pg_backend_pid()", ""), 1);
	assert_int_equal(db_begin(db), 0);
	insert(db, 1, "perdu");
	assert_int_equal(
	    q_exec(admin, "SELECT pg_terminate_backend(CAST(? AS INTEGER), 5000)", "i", pid), 0);
	assert_true(q_exec(db, "INSERT INTO t (n, s) VALUES (2, 'x')", "") < 0);
	assert_true(q_exec(db, "INSERT INTO t (n, s) VALUES (3, 'y')", "") < 0);
	db_rollback(db);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM t", ""), 1);
	assert_int_equal(n, 0);
	db_close(admin);
}

/* Binary columns: any bytes (NUL, invalid UTF-8) go in and come back
 * exactly, by q_blob and in the JSON rows as "\x..." hex on both engines;
 * NULL and empty blobs; a large value; 'b' beside other parameters. */
static void blobs_round_trip(void **state)
{
	struct db *db = *state;
	schema(db, "CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB, note TEXT)");
	static const unsigned char bytes[] = {0x00, 0xff, 0xc3, 0x28, '\\', 'x', 0x00, 0x7f};
	int64_t id = 0;
	assert_int_equal(q_int(db, &id, "INSERT INTO b (data, note) VALUES (?, ?) RETURNING id",
	                       "bt", bytes, sizeof(bytes), "octets"),
	                 1);
	void *out;
	size_t len;
	assert_int_equal(q_blob(db, &out, &len, "SELECT data FROM b WHERE id = ?", "i", id), 1);
	assert_int_equal(len, sizeof(bytes));
	assert_memory_equal(out, bytes, sizeof(bytes));
	free(out);
	json_is(
	    q_row(db, NULL, "SELECT data, note, length(data) AS n FROM b WHERE id = ?", "i", id),
	    "{\"data\":\"\\\\x00ffc3285c78007f\",\"n\":8,\"note\":\"octets\"}");
	/* NULL, empty, absent */
	assert_int_equal(q_exec(db, "INSERT INTO b (data, note) VALUES (?, ?), (?, ?)", "ntbt",
	                        "nul", (const void *)NULL, (size_t)0, "vide"),
	                 0);
	assert_int_equal(q_blob(db, &out, &len, "SELECT data FROM b WHERE note = 'nul'", ""), 1);
	assert_int_equal(len, 0);
	free(out);
	json_is(q_rows(db,
	               "SELECT note, data IS NULL AS z, length(data) AS n FROM b "
	               "WHERE id > ? ORDER BY id",
	               "i", id),
	        "[{\"n\":null,\"note\":\"nul\",\"z\":1},{\"n\":0,\"note\":\"vide\",\"z\":0}]");
	assert_int_equal(q_blob(db, &out, &len, "SELECT data FROM b WHERE id = ?", "i", id + 99),
	                 0);
	assert_null(out);
	/* 3 MiB of every byte value */
	size_t big = 3u << 20;
	unsigned char *buf = malloc(big);
	for (size_t i = 0; i < big; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 11));
	assert_int_equal(
	    q_int(db, &id, "INSERT INTO b (data) VALUES (?) RETURNING id", "b", buf, big), 1);
	assert_int_equal(q_blob(db, &out, &len, "SELECT data FROM b WHERE id = ?", "i", id), 1);
	assert_int_equal(len, big);
	assert_memory_equal(out, buf, big);
	free(out);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(rows_are_typed_alike, setup, teardown),
	    cmocka_unit_test_setup_teardown(accessors_agree, setup, teardown),
	    cmocka_unit_test_setup_teardown(text_sorts_by_code_point, setup, teardown),
	    cmocka_unit_test_setup_teardown(constraints_are_conflicts, setup, teardown),
	    cmocka_unit_test_setup_teardown(transactions_commit_and_roll_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(read_snapshot_is_stable, setup, teardown),
	    cmocka_unit_test_setup_teardown(statement_cache_evicts, setup, teardown),
	    cmocka_unit_test_setup_teardown(lock_lasts_until_the_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(lost_connection_comes_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(blobs_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
