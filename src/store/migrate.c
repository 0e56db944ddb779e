#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/audit_chain.h"
#include "store/db.h"
#include "store/query.h"
#include "store/sqltext.h"

extern const struct embedded_file migrations_files[];

/* Runs a schema script; on PostgreSQL after the one rewrite of its types
 * (sqltext_pg_schema: identity ids, BIGINT, byte-order text). */
static int exec_schema(struct db *db, const char *sql)
{
	if (db_kind(db) != DB_POSTGRESQL)
		return db_exec(db, sql);
	char *pg = sqltext_pg_schema(sql);
	int rc = db_exec(db, pg);
	free(pg);
	return rc;
}

static int ensure_table(struct db *db)
{
	return exec_schema(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	                       "applied_at INTEGER NOT NULL)");
}

int migrate_version(struct db *db)
{
	int64_t v = 0;
	if (ensure_table(db) != 0)
		return CAS_EDB;
	if (q_int(db, &v, "SELECT coalesce(max(version), 0) FROM schema_migrations", "") < 0)
		return CAS_EDB;
	return (int)v;
}

/* "001_foundation.sql" -> 1; 0 when the name has no number. */
static int file_version(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);
	return (end != name && *end == '_' && v > 0 && v < 100000) ? (int)v : 0;
}

int migrate_latest(void)
{
	int latest = 0;
	for (const struct embedded_file *f = migrations_files; f->name; f++)
		if (file_version(f->name) > latest)
			latest = file_version(f->name);
	return latest;
}

/* The steps in C some migrations need after their SQL, in the same
 * transaction. */
static int data_step(struct db *db, int version)
{
	if (version == 13) /* the hash chain over the audit entries written before */
		return audit_chain_seal(db);
	return 0;
}

/* 0 applied, 1 found applied by another process meanwhile, or an error. */
static int apply_one(struct db *db, const struct embedded_file *f, int version)
{
	int64_t done = 0;
	int rc = db_begin(db);
	if (rc == 0)
		rc = q_int(db, &done, "SELECT count(*) FROM schema_migrations WHERE version = ?",
		           "i", (int64_t)version);
	if (rc >= 0 && done) {
		db_rollback(db);
		return 1;
	}
	char *sql = xstrndup((const char *)f->data, f->len);
	rc = rc < 0 ? rc : exec_schema(db, sql);
	if (rc == 0)
		rc = data_step(db, version);
	if (rc == 0)
		rc = q_exec(db,
		            "INSERT INTO schema_migrations (version, name, applied_at) "
		            "VALUES (?, ?, ?)",
		            "iti", (int64_t)version, f->name, clock_now());
	if (rc == 0)
		rc = db_commit(db);
	if (rc != 0) {
		db_rollback(db);
		log_msg(LOG_ERROR, "migration %s failed", f->name);
	}
	free(sql);
	return rc;
}

/* Several servers may start at once on one PostgreSQL database: the first
 * migrates, the others wait for it on this session lock, then find
 * nothing left to do. (On SQLite, BEGIN IMMEDIATE queues them, and each
 * migration checks again inside its transaction that it is still due.) */
#define MIGRATE_LOCK "7161327616" /* any constant of this application */

static int migrate_lock(struct db *db, int take)
{
	if (db_kind(db) != DB_POSTGRESQL)
		return 0;
	return q_exec(db,
	              take ? "SELECT pg_advisory_lock(" MIGRATE_LOCK ")"
	                   : "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")",
	              "");
}

static int migrate_pending(struct db *db, int *applied)
{
	int current = migrate_version(db), n = 0;
	if (current < 0)
		return current;
	/* files are embedded in name order, so in version order */
	for (const struct embedded_file *f = migrations_files; f->name; f++) {
		int v = file_version(f->name);
		if (v <= current)
			continue;
		int rc = apply_one(db, f, v);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		log_msg(LOG_INFO, "migration %s applied", f->name);
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
}

int migrate_up(struct db *db, int *applied)
{
	int rc = migrate_lock(db, 1);
	if (rc != 0)
		return rc;
	rc = migrate_pending(db, applied);
	migrate_lock(db, 0);
	return rc;
}
