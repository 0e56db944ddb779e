/* What a bulk load with explicit ids needs from the engine afterwards. */
#ifndef CAS_DB_BULK_H
#define CAS_DB_BULK_H

struct db;

/* After rows were inserted into table with their ids given (cassis
 * migrate-data): on PostgreSQL, every identity column of table has its
 * sequence moved to the largest value present, so that the next INSERT ...
 * RETURNING id does not collide; an empty table is left alone. Nothing to
 * do on SQLite, where an INTEGER PRIMARY KEY takes max(id) + 1. table must
 * be a plain identifier ([a-z_][a-z0-9_]*). 0 or a negative cas_err. */
int db_after_bulk_insert(struct db *db, const char *table);

#endif
