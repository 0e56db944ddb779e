#include "app/jobs.h"

#include "app/actor.h"
#include "app/auth.h"
#include "app/perm.h"
#include "app/ratelimit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "store/job_store.h"
#include "store/session_store.h"

int64_t jobs_slot(const struct job *job, int64_t now)
{
	int64_t p = job->period > 0 ? job->period : 1;
	int64_t q = now / p;
	return (now % p != 0 && now < 0) ? q - 1 : q;
}

static json_t *error_result(int rc)
{
	return json_pack("{s:s}", "error", cas_err_name(rc));
}

/* Runs the work of a claimed slot and records its outcome. */
static json_t *run_claimed(struct db *db, const struct actor *who, const struct job *job,
                           int64_t slot, int64_t now)
{
	json_t *result = NULL;
	int rc = job->work(db, who, now, &result);
	if (rc != 0 || !result) {
		json_decref(result);
		result = error_result(rc ? rc : CAS_EDB);
	}
	char *text = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
	rc = text ? job_store_finish(db, job->name, slot, clock_now(), text) : CAS_ENOMEM;
	json_free_text(text);
	if (rc != 0 && !json_object_get(result, "error"))
		json_object_set_new(result, "error", json_string(cas_err_name(rc)));
	return result;
}

int jobs_run(struct db *db, const struct actor *who, const struct job *job, int64_t now,
             const char *host, json_t **result)
{
	*result = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	int64_t slot = jobs_slot(job, now);
	int rc = job_store_claim(db, job->name, slot, now, host);
	if (rc <= 0)
		return rc;
	*result = run_claimed(db, who, job, slot, now);
	return 1;
}

int jobs_purge_sessions(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	*result = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	int n =
	    session_store_delete_expired(db, now - AUTH_IDLE_SECONDS, now - AUTH_ABSOLUTE_SECONDS);
	if (n < 0)
		return n;
	*result = json_pack("{s:i}", "deleted", n);
	return 0;
}

int jobs_purge_rate_limits(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	*result = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	int64_t n = 0;
	int rc = ratelimit_purge(db, now, &n);
	if (rc != 0)
		return rc;
	*result = json_pack("{s:I}", "deleted", (json_int_t)n);
	return 0;
}
