/* A fixed-window request counter per key (a token), as API Particulier
 * counts: windows of period seconds aligned on the epoch; a request is
 * refused when it is past the limit in its window. Thread-safe. */
#ifndef CAS_STANDIN_RATELIMIT_H
#define CAS_STANDIN_RATELIMIT_H
#include <stdint.h>

struct ratelimit;

struct rl_state {
	int limit;       /* RateLimit-Limit */
	int remaining;   /* RateLimit-Remaining: max(limit - count, 0) */
	int64_t reset;   /* RateLimit-Reset: unix time of the end of the window */
	int retry_after; /* Retry-After (seconds), when refused */
};

/* limit requests per period seconds; limit 0 never refuses. Free with
 * rl_free. */
struct ratelimit *rl_new(int limit, int period);
void rl_free(struct ratelimit *rl);

/* Counts one request of key at now_ms (unix milliseconds): 1 when allowed,
 * 0 when refused; *st filled in both cases. */
int rl_hit(struct ratelimit *rl, const char *key, int64_t now_ms, struct rl_state *st);

#endif
