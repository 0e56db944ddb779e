/* cassis migrate-data: a whole installation copied from a SQLite database
 * into an empty database (PostgreSQL, or another SQLite file), then
 * verified table by table. An operator tool: no actor, no permission.
 *
 * The tables are those of the source's schema (sqlite_master), except
 * schema_migrations; they are copied parents first, in the order given by
 * their foreign keys (PRAGMA foreign_key_list), so a new table needs
 * nothing here. The source is read in one snapshot; the target is written
 * in one transaction, so a failure leaves it empty. */
#ifndef CAS_MIGRATE_DATA_H
#define CAS_MIGRATE_DATA_H
#include <stdint.h>

struct md_table {
	char name[64];
	int64_t src_rows, dst_rows;
	char src_sum[65], dst_sum[65]; /* see table_checksum in store/table_copy.h */
	int ok;                        /* counts and checksums equal */
};

struct md_report {
	struct md_table *tables; /* in copy order */
	int n;
	char why[600]; /* on failure, why, in French, for the operator */
};

/* Called after each table is copied (may be NULL). */
struct md_progress {
	void (*copied)(const char *table, int64_t rows, void *arg);
	void *arg;
};

/* Copies from_url (a SQLite URL, its schema at this program's newest
 * version) into to_url (migrations applied first; every table must be
 * empty), then compares row counts and checksums of every table.
 * 0 when all match; CAS_ECONFLICT when the target holds rows (res->why
 * names the tables) or when a count or checksum differs (the report shows
 * which); CAS_ENOTFOUND, CAS_EINVAL (the source is not a Cassis database at
 * the right version), CAS_EDB, or the error of a failed copy (the target is
 * then left empty). Free the report with md_report_free. */
int migrate_data_run(const char *from_url, const char *to_url, const struct md_progress *progress,
                     struct md_report *rep);
void md_report_free(struct md_report *rep);

#endif
