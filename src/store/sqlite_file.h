/* Whole SQLite database files, below the connections of db.c: the online
 * backup API (a consistent copy of a live database, in small steps) and a
 * read-only look at a file. SQLite only: PostgreSQL has pg_dump and
 * pg_basebackup (docs/deployment.md). Paths are file paths, not URLs. */
#ifndef CAS_SQLITE_FILE_H
#define CAS_SQLITE_FILE_H
#include <stdint.h>

/* How fast a copy goes: pages per step of the backup API, and the pause
 * between two steps, which leaves the disk to the server. */
struct sqlite_pace {
	int pages;
	int pause_ms;
};

/* Copies the database at src into the database at dst (created when
 * missing, replaced otherwise) with the online backup API. The source's
 * read transaction is held from the first step to the last, so every page
 * comes from one snapshot: in WAL mode writers go on meanwhile and the copy
 * does not restart when they commit. With standalone, dst is left in
 * rollback-journal mode, one self-contained file. Waits for a busy
 * destination up to 30 s.
 * 0, CAS_ENOTFOUND (no src file), CAS_EINVAL (src is not a database),
 * CAS_ECONFLICT (dst stayed busy), CAS_EIO or CAS_EDB. */
int sqlite_file_copy(const char *src, const char *dst, const struct sqlite_pace *pace,
                     int standalone);

struct sqlite_file_info {
	int is_database;         /* SQLite reads it */
	int integrity_ok;        /* PRAGMA integrity_check said "ok" (when asked for) */
	int has_migrations;      /* it has a schema_migrations table */
	int version;             /* newest applied migration (0 without the table) */
	char nonempty_table[64]; /* a table other than schema_migrations with rows, "" if none */
	int64_t size;            /* bytes of the main file */
};

/* Looks at the database file at path without writing to it (a missing
 * file is not created). check_integrity runs PRAGMA integrity_check, which
 * reads the whole file. 0 with *info filled (is_database 0 for a file that
 * is not a database), CAS_ENOTFOUND when there is no file, CAS_EIO. */
int sqlite_file_inspect(const char *path, int check_integrity, struct sqlite_file_info *info);

#endif
