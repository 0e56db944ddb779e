#include "testdb.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/seal.h"
#include "store/db.h"

static char server_url[1024]; /* CASSIS_TEST_DB on PostgreSQL */
static char own_url[1200];    /* this program's database */
static char own_name[64];

static const char *configured(void)
{
	const char *u = getenv("CASSIS_TEST_DB");
	return u && *u ? u : "sqlite::memory:";
}

/* url with its database name replaced by name: the path of
 * scheme://authority/dbname?params. */
static void with_dbname(const char *url, const char *name, char *out, size_t size)
{
	const char *auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	size_t alen = strcspn(auth, "/?");
	const char *rest = auth + alen;
	if (*rest == '/')
		rest += strcspn(rest, "?");
	snprintf(out, size, "%.*s/%s%s", (int)(auth + alen - url), url, name, rest);
}

static void exec_on(const char *url, const char *sql)
{
	struct db *db;
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(db_exec(db, sql), 0);
	db_close(db);
}

static void drop_own(void)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", own_name);
	struct db *db;
	if (db_open(server_url, &db) == 0) {
		if (db_exec(db, sql) != 0)
			fprintf(stderr, "testdb: cannot drop %s\n", own_name);
		db_close(db);
	}
}

/* Creates this program's database on the first call. */
static void create_own(void)
{
	if (own_name[0])
		return;
	snprintf(server_url, sizeof(server_url), "%s", configured());
	snprintf(own_name, sizeof(own_name), "cassis_test_%ld", (long)getpid());
	with_dbname(server_url, own_name, own_url, sizeof(own_url));
	char sql[160];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", own_name);
	exec_on(server_url, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'",
	         own_name);
	exec_on(server_url, sql);
	atexit(drop_own);
}

static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

static void remove_sqlite_file(const char *url)
{
	const char *path = sqlite_path(url);
	if (strcmp(path, ":memory:") == 0)
		return;
	char side[1100];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void remove_own_file(void)
{
	remove_sqlite_file(own_url);
}

/* A SQLite file of this program's own: PATH.<pid>. */
static const char *own_sqlite(const char *url)
{
	if (strcmp(sqlite_path(url), ":memory:") == 0)
		return url;
	if (!own_url[0]) {
		snprintf(own_url, sizeof(own_url), "sqlite:%s.%ld", sqlite_path(url),
		         (long)getpid());
		atexit(remove_own_file);
	}
	return own_url;
}

const char *testdb_url(void)
{
	if (db_url_kind(configured()) != DB_POSTGRESQL)
		return own_sqlite(configured());
	create_own();
	return own_url;
}

/* A data key for the sealed columns (store/sealed_store.h), once. */
static void use_data_key(void)
{
	struct seal_ring ring = {0};
	struct seal_key k;
	if (seal_ready())
		return;
	assert_int_equal(crypto_init(), 0);
	seal_key_generate(&k);
	seal_ring_add(&ring, &k, 1);
	seal_set_ring(&ring);
	seal_ring_wipe(&ring);
}

void testdb_open(struct db **out)
{
	use_data_key();
	const char *url = testdb_url();
	if (db_url_kind(url) != DB_POSTGRESQL)
		remove_sqlite_file(url);
	assert_int_equal(db_open(url, out), 0);
	if (db_kind(*out) == DB_POSTGRESQL)
		assert_int_equal(
		    db_exec(*out, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"), 0);
}

void testdb_close(struct db *db)
{
	db_close(db);
}
