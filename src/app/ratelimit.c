#include "app/ratelimit.h"

#include "base/err.h"
#include "store/rate_store.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int ratelimit_take(struct db *db, const char *key, int limit, int window_seconds, int64_t now,
                   int *retry_after)
{
	*retry_after = 0;
	if (limit <= 0)
		return 0;
	if (window_seconds < 1 || window_seconds > RATELIMIT_MAX_WINDOW)
		return CAS_EINVAL;
	int64_t start = floor_div(now, window_seconds) * window_seconds;
	int64_t count = 0;
	int rc = rate_store_hit(db, key, start, &count);
	if (rc != 0)
		return rc;
	if (count <= limit)
		return 0;
	*retry_after = (int)(start + window_seconds - now);
	return CAS_ELOCKED;
}

int ratelimit_purge(struct db *db, int64_t now, int64_t *deleted)
{
	return rate_store_delete_before(db, now - RATELIMIT_MAX_WINDOW + 1, deleted);
}
