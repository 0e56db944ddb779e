#include "store/job_store.h"

#include "store/query.h"

int job_store_claim(struct db *db, const char *job, int64_t slot, int64_t now, const char *host)
{
	int64_t got = 0;
	return q_int(db, &got,
	             "INSERT INTO job_runs (job, slot, started_at, host) VALUES (?, ?, ?, ?) "
	             "ON CONFLICT (job, slot) DO NOTHING RETURNING slot",
	             "tiit", job, slot, now, host);
}

int job_store_finish(struct db *db, const char *job, int64_t slot, int64_t now, const char *result)
{
	return q_exec(db,
	              "UPDATE job_runs SET finished_at = ?, result = ? WHERE job = ? AND slot = ?",
	              "itti", now, result, job, slot);
}

json_t *job_store_list(struct db *db, const char *job, int64_t limit)
{
	return q_rows(db,
	              "SELECT job, slot, started_at, finished_at, host, result FROM job_runs "
	              "WHERE job = ? ORDER BY slot DESC LIMIT ?",
	              "ti", job, limit);
}
