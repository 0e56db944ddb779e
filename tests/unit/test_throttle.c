/* The per-token rate limiter shared by every thread (providers/throttle.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "providers/throttle.h"

#define THREADS    8
#define PER_THREAD 15
#define RATE       40.0
#define EPS        1e-9

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The largest number of times in any half-open window [t, t + width). */
static int max_in_window(double *t, int n, double width)
{
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	int best = 0;
	for (int i = 0, j = 0; i < n; i++) {
		while (j < n && t[j] < t[i] + width - EPS)
			j++;
		if (j - i > best)
			best = j - i;
	}
	return best;
}

static void single_thread_paced(void **state)
{
	throttle_reset();
	double start = throttle_now();
	for (int i = 0; i < 21; i++)
		assert_int_equal(throttle_acquire("k1", 20, -1), 0);
	double took = throttle_now() - start;
	assert_true(took >= 1.0 - 0.001); /* 20 intervals of 50 ms after the first */
	assert_true(took < 1.6);
}

struct worker {
	const char *key;
	double slots[PER_THREAD], returned[PER_THREAD];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < PER_THREAD; i++) {
		if (throttle_acquire_slot(w->key, RATE, -1, &w->slots[i]) != 0)
			abort();
		w->returned[i] = throttle_now();
	}
	return NULL;
}

/* Eight threads on one key: no window of one second ever holds more than
 * RATE slots, each thread returns at or after its slot, and the whole takes
 * as long as the rate demands. */
static void many_threads_never_exceed(void **state)
{
	throttle_reset();
	static struct worker w[THREADS];
	pthread_t th[THREADS];
	double start = throttle_now();
	for (int i = 0; i < THREADS; i++) {
		w[i].key = "shared";
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	double took = throttle_now() - start;
	static double slots[THREADS * PER_THREAD], returned[THREADS * PER_THREAD];
	for (int i = 0; i < THREADS; i++)
		for (int j = 0; j < PER_THREAD; j++) {
			slots[i * PER_THREAD + j] = w[i].slots[j];
			returned[i * PER_THREAD + j] = w[i].returned[j];
			assert_true(w[i].returned[j] >= w[i].slots[j]);
		}
	int n = THREADS * PER_THREAD;
	assert_true(max_in_window(slots, n, 1.0) <= (int)RATE);
	/* the 120 slots are 25 ms apart, none shared */
	for (int i = 1; i < n; i++)
		assert_true(slots[i] - slots[i - 1] >= 1.0 / RATE - EPS);
	assert_true(took >= (n - 1) / RATE - 0.001);
	/* what the callers saw: the same, give or take scheduling delays */
	assert_true(max_in_window(returned, n, 1.0 - 0.05) <= (int)RATE);
}

/* Keys do not slow each other down. */
static void keys_are_independent(void **state)
{
	throttle_reset();
	double start = throttle_now();
	for (int i = 0; i < 5; i++) {
		assert_int_equal(throttle_acquire("a", 10, -1), 0);
		assert_int_equal(throttle_acquire("b", 10, -1), 0);
	}
	double took = throttle_now() - start;
	assert_true(took >= 0.4 - 0.001);
	assert_true(took < 0.75);
}

static void retry_after_blocks_the_key(void **state)
{
	throttle_reset();
	assert_int_equal(throttle_acquire("k", 1000, -1), 0);
	throttle_block("k", 1);
	throttle_block("k", 0);  /* nothing */
	throttle_block("k", -3); /* nothing */
	double start = throttle_now(), slot;
	assert_int_equal(throttle_acquire_slot("other", 1000, -1, &slot), 0);
	assert_true(throttle_now() - start < 0.2); /* another key is free */
	assert_int_equal(throttle_acquire_slot("k", 1000, -1, &slot), 0);
	assert_true(slot - start >= 1.0 - 0.01);
	assert_true(throttle_now() - start >= 1.0 - 0.01);
}

/* A wait longer than allowed is refused at once and reserves nothing. */
static void bounded_wait(void **state)
{
	throttle_reset();
	throttle_block("q", 5);
	double start = throttle_now();
	assert_int_equal(throttle_acquire("q", 20, 100), CAS_ETOOBIG);
	assert_true(throttle_now() - start < 0.1);
	throttle_reset();
	assert_int_equal(throttle_acquire("q", 2, 0), 0); /* the first slot is now */
	assert_int_equal(throttle_acquire("q", 2, 100), CAS_ETOOBIG);
	start = throttle_now();
	assert_int_equal(throttle_acquire("q", 2, 1000), 0); /* 500 ms later */
	assert_true(throttle_now() - start >= 0.45);
}

/* A thread already waiting for its slot when a Retry-After comes in waits
 * for the end of the block. */
struct blocked_arg {
	double slot, returned;
};

static void *late_worker(void *arg)
{
	struct blocked_arg *a = arg;
	throttle_acquire_slot("late", 2, -1, &a->slot);
	a->returned = throttle_now();
	return NULL;
}

static void block_reaches_waiting_threads(void **state)
{
	throttle_reset();
	assert_int_equal(throttle_acquire("late", 2, -1), 0); /* next slot in 500 ms */
	double start = throttle_now();
	struct blocked_arg a = {0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, late_worker, &a), 0);
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
	throttle_block("late", 2);
	pthread_join(th, NULL);
	assert_true(a.returned - start >= 2.0);
}

static void default_rate(void **state)
{
	throttle_reset();
	double start = throttle_now();
	for (int i = 0; i < 5; i++)
		assert_int_equal(throttle_acquire("d", 0, -1), 0);
	assert_true(throttle_now() - start >= 4 / 20.0 - 0.001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_thread_paced),  cmocka_unit_test(many_threads_never_exceed),
	    cmocka_unit_test(keys_are_independent), cmocka_unit_test(retry_after_blocks_the_key),
	    cmocka_unit_test(bounded_wait),         cmocka_unit_test(block_reaches_waiting_threads),
	    cmocka_unit_test(default_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
