/* Rate limits shared by every server process on one database: fixed
 * windows counted in the database (store/rate_store.h), so that two
 * processes behind one proxy let through, together, no more than the
 * limit. */
#ifndef CAS_RATELIMIT_H
#define CAS_RATELIMIT_H
#include <stdint.h>

struct db;

/* The longest window; windows that started this long ago have ended and
 * are deleted by ratelimit_purge. */
#define RATELIMIT_MAX_WINDOW 3600

/* Counts one request of key ("api:<key id>"...) in the window of
 * window_seconds (1..RATELIMIT_MAX_WINDOW) that holds now. 0 when the
 * request is within limit; CAS_ELOCKED when the window's count is over it,
 * with *retry_after the seconds until the window ends (>= 1); another
 * negative cas_err on failure. limit <= 0 means no limit (nothing is
 * counted). Refused requests count too: a client that keeps sending during
 * the window stays refused until it ends. */
int ratelimit_take(struct db *db, const char *key, int limit, int window_seconds, int64_t now,
                   int *retry_after);

/* Deletes the counters of the windows that ended (started
 * RATELIMIT_MAX_WINDOW or more before now); *deleted is how many. For the
 * "rate_limits" job (app/jobs.h), which checks the permission. */
int ratelimit_purge(struct db *db, int64_t now, int64_t *deleted);

#endif
