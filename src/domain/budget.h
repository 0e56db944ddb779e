/* Budget envelopes: the amount a CCAS allocates to an aid type for a year,
 * against what its decisions commit and what is paid. Pure arithmetic on
 * integer cents. */
#ifndef CAS_DOMAIN_BUDGET_H
#define CAS_DOMAIN_BUDGET_H
#include <stdint.h>

struct budget_envelope {
	int has_envelope; /* 0: nothing allocated, no limit */
	int64_t alloue;   /* allocated */
	int64_t engage;   /* committed by the decisions (amounts granted) */
	int64_t paye;     /* paid or handed over */
};

/* allocated - committed; negative when the envelope is overspent. 0
 * without an envelope. */
int64_t budget_remaining(const struct budget_envelope *e);

/* 1 when committing `amount` more would exceed the allocation, with the
 * part beyond it in *excess (when not NULL); 0 otherwise (always 0 without
 * an envelope). A negative amount counts as 0. */
int budget_would_exceed(const struct budget_envelope *e, int64_t amount, int64_t *excess);

/* Committed / allocated in whole percent, rounded down; 0 without an
 * envelope or with nothing allocated. */
int budget_used_percent(const struct budget_envelope *e);

#endif
