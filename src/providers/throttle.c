/* Per-key request pacing shared by every thread: each acquisition reserves
 * the next free slot of its key (slots 1/rate apart), under one mutex, then
 * sleeps outside the lock until its slot. */
#include "providers/throttle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/xalloc.h"

struct tkey {
	char *key;
	double next;          /* earliest time of the next slot */
	double blocked_until; /* Retry-After deadline, 0 when none */
	struct tkey *link;
};

static pthread_mutex_t throttle_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tkey *throttle_keys;

double throttle_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double later(double a, double b)
{
	return a > b ? a : b;
}

static void sleep_until(double t)
{
	struct timespec ts;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* The entry of key, created when absent. Called with the mutex held. */
static struct tkey *find_key(const char *key)
{
	for (struct tkey *k = throttle_keys; k; k = k->link)
		if (strcmp(k->key, key) == 0)
			return k;
	struct tkey *k = xcalloc(1, sizeof(*k));
	k->key = xstrdup(key);
	k->link = throttle_keys;
	throttle_keys = k;
	return k;
}

/* Reserves a slot: its time in *slot, or CAS_ETOOBIG past max_wait_ms. */
static int reserve(const char *key, double interval, long max_wait_ms, double *slot)
{
	pthread_mutex_lock(&throttle_mu);
	struct tkey *k = find_key(key);
	double now = throttle_now();
	double t = later(now, later(k->next, k->blocked_until));
	if (max_wait_ms >= 0 && (t - now) * 1000.0 > (double)max_wait_ms) {
		pthread_mutex_unlock(&throttle_mu);
		return CAS_ETOOBIG;
	}
	k->next = t + interval;
	*slot = t;
	pthread_mutex_unlock(&throttle_mu);
	return 0;
}

/* 1 when key was blocked after the slot was reserved (wait again). */
static int blocked_since(const char *key, double slot)
{
	pthread_mutex_lock(&throttle_mu);
	struct tkey *k = find_key(key);
	int blocked = k->blocked_until > slot;
	pthread_mutex_unlock(&throttle_mu);
	return blocked;
}

int throttle_acquire(const char *key, double rate_per_second, long max_wait_ms)
{
	double slot;
	return throttle_acquire_slot(key, rate_per_second, max_wait_ms, &slot);
}

int throttle_acquire_slot(const char *key, double rate_per_second, long max_wait_ms, double *slot)
{
	double rate = rate_per_second > 0 ? rate_per_second : 20.0;
	double interval = 1.0 / rate;
	double start = throttle_now();
	for (;;) {
		long left = max_wait_ms;
		if (max_wait_ms >= 0) {
			left = max_wait_ms - (long)((throttle_now() - start) * 1000.0);
			if (left < 0)
				return CAS_ETOOBIG;
		}
		int rc = reserve(key, interval, left, slot);
		if (rc != 0)
			return rc;
		sleep_until(*slot);
		if (!blocked_since(key, *slot))
			return 0;
	}
}

void throttle_block(const char *key, int seconds)
{
	if (seconds <= 0)
		return;
	pthread_mutex_lock(&throttle_mu);
	struct tkey *k = find_key(key);
	double until = throttle_now() + (double)seconds;
	if (until > k->blocked_until)
		k->blocked_until = until;
	if (k->next < until)
		k->next = until;
	pthread_mutex_unlock(&throttle_mu);
}

void throttle_reset(void)
{
	pthread_mutex_lock(&throttle_mu);
	while (throttle_keys) {
		struct tkey *k = throttle_keys;
		throttle_keys = k->link;
		free(k->key);
		free(k);
	}
	pthread_mutex_unlock(&throttle_mu);
}
