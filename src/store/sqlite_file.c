/* Whole SQLite files. Like db.c, this file talks to the engine directly:
 * the backup API works on connections of its own, not on a struct db. */
#include "store/sqlite_file.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/err.h"
#include "base/log.h"

#define BUSY_LIMIT_MS 30000

static void pause_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* SQLITE_NOTADB and SQLITE_CORRUPT mean "this file is not (or no longer) a
 * database": the caller's input, not the engine, is at fault. */
static int map_err(sqlite3 *h, int rc)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
		return CAS_EINVAL;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return CAS_ECONFLICT;
	log_msg(LOG_ERROR, "sqlite file: %s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	return primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ? CAS_EIO : CAS_EDB;
}

static int open_path(const char *path, int flags, sqlite3 **out)
{
	int rc = sqlite3_open_v2(path, out, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = map_err(*out, rc);
		sqlite3_close(*out);
		*out = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*out, 5000);
	return 0;
}

static int exec(sqlite3 *h, const char *sql)
{
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : map_err(h, rc);
}

/* Steps until done; a busy destination is waited for, up to BUSY_LIMIT_MS. */
static int run_backup(sqlite3 *dst, sqlite3 *src, const struct sqlite_pace *pace)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return map_err(dst, sqlite3_errcode(dst));
	int pages = pace->pages > 0 ? pace->pages : -1;
	int busy_ms = 0, rc;
	for (;;) {
		rc = sqlite3_backup_step(b, pages);
		int busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
		if (rc != SQLITE_OK && !busy)
			break;
		int wait = pace->pause_ms > 0 ? pace->pause_ms : (busy ? 10 : 0);
		busy_ms = busy ? busy_ms + wait : 0;
		if (busy_ms >= BUSY_LIMIT_MS)
			break;
		if (wait > 0)
			pause_ms(wait);
	}
	int fin = sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return fin == SQLITE_OK ? 0 : map_err(dst, fin);
	return map_err(rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ? src : dst, rc);
}

int sqlite_file_copy(const char *src, const char *dst, const struct sqlite_pace *pace,
                     int standalone)
{
	struct stat sb;
	if (stat(src, &sb) != 0)
		return errno == ENOENT ? CAS_ENOTFOUND : CAS_EIO;
	sqlite3 *hs = NULL, *hd = NULL;
	int rc = open_path(src, SQLITE_OPEN_READWRITE, &hs);
	/* the read transaction starts with the first read: pin the snapshot now */
	if (rc == 0)
		rc = exec(hs, "BEGIN; SELECT count(*) FROM sqlite_master");
	if (rc == 0)
		rc = open_path(dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &hd);
	if (rc == 0)
		rc = run_backup(hd, hs, pace);
	if (rc == 0 && standalone)
		rc = exec(hd, "PRAGMA journal_mode=DELETE");
	if (hs && !sqlite3_get_autocommit(hs))
		sqlite3_exec(hs, "COMMIT", NULL, NULL, NULL);
	if (sqlite3_close(hd) != SQLITE_OK && rc == 0)
		rc = CAS_EIO;
	sqlite3_close(hs);
	return rc;
}

/* First column of the first row as an integer; CAS_ENOTFOUND without row. */
static int one_int(sqlite3 *h, const char *sql, int64_t *out)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return map_err(h, rc);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? CAS_ENOTFOUND : map_err(h, rc);
}

static int integrity(sqlite3 *h, int *ok)
{
	sqlite3_stmt *s;
	*ok = 0;
	int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check(1)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return (rc & 0xff) == SQLITE_CORRUPT ? 0 : map_err(h, rc);
	rc = sqlite3_step(s);
	*ok = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || (rc & 0xff) == SQLITE_CORRUPT ? 0 : map_err(h, rc);
}

/* The first table (by name) holding a row, other than schema_migrations and
 * data_keys (the registry of encryption keys, written when any command opens
 * the database). */
static int find_rows(sqlite3 *h, char *name, size_t size)
{
	sqlite3_stmt *s;
	int rc =
	    sqlite3_prepare_v2(h,
	                       "SELECT name FROM sqlite_master WHERE type = 'table' "
	                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	                       "AND name NOT IN ('schema_migrations', 'data_keys') ORDER BY name",
	                       -1, &s, NULL);
	if (rc != SQLITE_OK)
		return map_err(h, rc);
	name[0] = '\0';
	while (!name[0] && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		char *sql =
		    sqlite3_mprintf("SELECT count(*) FROM (SELECT 1 FROM \"%w\" LIMIT 1)", t);
		int64_t n = 0;
		int qrc = sql ? one_int(h, sql, &n) : CAS_ENOMEM;
		sqlite3_free(sql);
		if (qrc != 0) {
			sqlite3_finalize(s);
			return qrc;
		}
		if (n > 0)
			snprintf(name, size, "%s", t);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : map_err(h, rc);
}

static int look(sqlite3 *h, int check_integrity, struct sqlite_file_info *info)
{
	int64_t n = 0;
	int rc = one_int(h, "SELECT count(*) FROM sqlite_master", &n);
	if (rc == CAS_EINVAL)
		return 0; /* not a database */
	if (rc != 0)
		return rc;
	info->is_database = 1;
	if (check_integrity && (rc = integrity(h, &info->integrity_ok)) != 0)
		return rc;
	rc = one_int(h,
	             "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
	             "AND name = 'schema_migrations'",
	             &n);
	if (rc != 0)
		return rc;
	info->has_migrations = n > 0;
	if (info->has_migrations) {
		rc = one_int(h, "SELECT coalesce(max(version), 0) FROM schema_migrations", &n);
		if (rc != 0)
			return rc;
		info->version = (int)n;
	}
	return find_rows(h, info->nonempty_table, sizeof(info->nonempty_table));
}

int sqlite_file_inspect(const char *path, int check_integrity, struct sqlite_file_info *info)
{
	memset(info, 0, sizeof(*info));
	struct stat sb;
	if (stat(path, &sb) != 0)
		return errno == ENOENT ? CAS_ENOTFOUND : CAS_EIO;
	if (!S_ISREG(sb.st_mode))
		return 0;
	sqlite3 *h = NULL;
	int rc = open_path(path, SQLITE_OPEN_READWRITE, &h);
	if (rc == 0)
		rc = exec(h, "PRAGMA query_only = 1");
	if (rc == 0)
		rc = look(h, check_integrity, info);
	if (rc == CAS_EINVAL)
		rc = 0; /* not a database, or a damaged one: info tells how far it went */
	sqlite3_close(h);
	if (rc == 0 && stat(path, &sb) == 0)
		info->size = (int64_t)sb.st_size;
	return rc;
}
