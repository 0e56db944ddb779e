#include "standin/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/xalloc.h"

#define RL_SLOTS 1024

struct slot {
	unsigned char key[32]; /* digest of the key */
	int64_t window;        /* start of the window, unix seconds; 0: free */
	int count;
};

struct ratelimit {
	int limit, period;
	pthread_mutex_t lock;
	struct slot slots[RL_SLOTS];
};

struct ratelimit *rl_new(int limit, int period)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	rl->limit = limit;
	rl->period = period > 0 ? period : 1;
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void rl_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* The slot of key: its own, else a free or stale one (open addressing
 * over the digest); NULL when the table is full of live windows. */
static struct slot *slot_of(struct ratelimit *rl, const unsigned char *key, int64_t window)
{
	unsigned start = ((unsigned)key[0] << 8 | key[1]) % RL_SLOTS;
	struct slot *reuse = NULL;
	for (unsigned i = 0; i < RL_SLOTS; i++) {
		struct slot *s = &rl->slots[(start + i) % RL_SLOTS];
		if (s->window && memcmp(s->key, key, sizeof(s->key)) == 0)
			return s;
		if (!reuse && s->window != window)
			reuse = s;
	}
	if (reuse) {
		memcpy(reuse->key, key, sizeof(reuse->key));
		reuse->window = 0;
	}
	return reuse;
}

int rl_hit(struct ratelimit *rl, const char *key, int64_t now_ms, struct rl_state *st)
{
	int64_t now = now_ms / 1000;
	int64_t window = now - now % rl->period;
	unsigned char digest[32];
	crypto_hash_sha256(digest, (const unsigned char *)key, strlen(key));
	pthread_mutex_lock(&rl->lock);
	struct slot *s = slot_of(rl, digest, window);
	int count = 1;
	if (s) {
		if (s->window != window) {
			s->window = window;
			s->count = 0;
		}
		count = ++s->count;
	}
	pthread_mutex_unlock(&rl->lock);
	st->limit = rl->limit;
	st->remaining = rl->limit > count ? rl->limit - count : 0;
	st->reset = window + rl->period;
	st->retry_after = (int)(st->reset - now > 0 ? st->reset - now : 0);
	return rl->limit == 0 || count <= rl->limit;
}
