/* A token-bucket rate limiter shared by every thread of the process, one
 * bucket per key (the SHA-256 digest of a bearer token, never the token).
 * Callers wait rather than exceed the rate; a Retry-After received from the
 * server blocks the key until then. Keys are kept for the life of the
 * process (a handful of tokens). */
#ifndef CAS_PROVIDERS_THROTTLE_H
#define CAS_PROVIDERS_THROTTLE_H

/* Blocks until one request may be sent under key at rate_per_second
 * (0 or less = 20). Requests get slots at least 1/rate apart (no burst),
 * in the order they asked, so that any window of one second holds at most
 * `rate` slots. Also waits while the key is blocked by throttle_block.
 * Returns 0, or CAS_ETOOBIG when the wait would exceed max_wait_ms
 * (negative = no limit); nothing is reserved then. */
int throttle_acquire(const char *key, double rate_per_second, long max_wait_ms);

/* throttle_acquire that also gives the slot obtained (throttle_now() time
 * at or before the return), for tests and measurements. */
int throttle_acquire_slot(const char *key, double rate_per_second, long max_wait_ms, double *slot);

/* Blocks key for `seconds` from now (a Retry-After); a later deadline
 * already set is kept. seconds <= 0 does nothing. */
void throttle_block(const char *key, int seconds);

/* Forgets every key (tests). */
void throttle_reset(void);

/* The monotonic clock used by the limiter, in seconds (tests). */
double throttle_now(void);

#endif
