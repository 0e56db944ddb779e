/* SQL for the rate-limit counters (table rate_limits): one row per key and
 * fixed window, shared by every server process on the database. */
#ifndef CAS_RATE_STORE_H
#define CAS_RATE_STORE_H
#include <stdint.h>

struct db;

/* Counts one request of key in the window starting at window_start and sets
 * *count to the window's count, this request included. One atomic upsert:
 * concurrent callers, in one process or several, each get their own
 * count. 0, or a negative cas_err. */
int rate_store_hit(struct db *db, const char *key, int64_t window_start, int64_t *count);

/* Deletes the windows that started before before; *deleted is how many. */
int rate_store_delete_before(struct db *db, int64_t before, int64_t *deleted);

#endif
