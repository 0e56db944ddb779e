#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/query.h"

extern const struct embedded_file migrations_files[];

static int ensure_table(struct db *db)
{
	return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
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

static int apply_one(struct db *db, const struct embedded_file *f, int version)
{
	char *sql = xstrndup((const char *)f->data, f->len);
	int rc = db_begin(db);
	if (rc == 0)
		rc = db_exec(db, sql);
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

int migrate_up(struct db *db, int *applied)
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
		if (rc != 0)
			return rc;
		log_msg(LOG_INFO, "migration %s applied", f->name);
		n++;
	}
	if (applied)
		*applied = n;
	return 0;
}
