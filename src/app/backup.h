/* cassis backup / cassis restore: a SQLite installation copied to one file
 * with SQLite's online backup API while the server runs, and back.
 * Operator tools, run by whoever may read and write the database file:
 * there is no actor and no permission to check. PostgreSQL installations
 * use pg_dump / pg_restore (docs/deployment.md). */
#ifndef CAS_BACKUP_H
#define CAS_BACKUP_H
#include <stdint.h>

#include "store/sqlite_file.h"

struct backup_result {
	int64_t size;  /* bytes of the backup file, or of the restored database */
	int version;   /* schema version (newest migration) of the copy */
	int applied;   /* restore: migrations applied after the copy */
	char why[600]; /* on failure, why, in French, for the operator */
};

/* Copies the SQLite database at db_path into file: first into a temporary
 * file next to it, checked with PRAGMA integrity_check, then renamed into
 * place. A file that exists is kept (CAS_ECONFLICT) unless force.
 * 0, or CAS_ECONFLICT, CAS_ENOTFOUND (no database), CAS_EINVAL (not a
 * Cassis database), CAS_EIO, CAS_EDB; res->why says which. */
int backup_to_file(const char *db_path, const char *file, int force, const struct sqlite_pace *pace,
                   struct backup_result *res);

/* Restores file into the SQLite database at db_path, then applies the
 * pending migrations. file must be a Cassis database (a schema_migrations
 * table, integrity_check ok, a version this program knows); a target that
 * holds rows is kept (CAS_ECONFLICT) unless force, and a target that is not
 * a database is always kept. Stop the servers of db_path first.
 * 0, or CAS_ECONFLICT, CAS_ENOTFOUND, CAS_EINVAL, CAS_EIO, CAS_EDB. */
int restore_from_file(const char *file, const char *db_path, int force, struct backup_result *res);

#endif
