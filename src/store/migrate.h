/* Numbered migrations (src/store/migrations/NNN_name.sql, embedded at build
 * time), applied in order, each in its own transaction. */
#ifndef CAS_MIGRATE_H
#define CAS_MIGRATE_H

struct db;

/* Applies every migration not yet applied; *applied (may be NULL) gets how
 * many were. */
int migrate_up(struct db *db, int *applied);
/* Number of the newest applied migration, 0 on an empty database. */
int migrate_version(struct db *db);
/* Number of the newest migration embedded in this binary. */
int migrate_latest(void);

#endif
