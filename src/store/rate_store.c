#include "store/rate_store.h"

#include "base/err.h"
#include "store/query.h"

int rate_store_hit(struct db *db, const char *key, int64_t window_start, int64_t *count)
{
	int rc =
	    q_int(db, count,
	          "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) "
	          "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 "
	          "RETURNING count",
	          "ti", key, window_start);
	if (rc == 1)
		return 0;
	return rc < 0 ? rc : CAS_EDB;
}

int rate_store_delete_before(struct db *db, int64_t before, int64_t *deleted)
{
	return q_count(db, deleted, "DELETE FROM rate_limits WHERE window_start < ? RETURNING 1",
	               "i", before);
}
