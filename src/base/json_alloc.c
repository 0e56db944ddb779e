#include "base/json_alloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "base/xalloc.h"

/* Every block starts with a header saying where it comes from, so that one
 * free function serves both kinds. 16 bytes keep the block aligned. */
#define FROM_HEAP  0x48454150u
#define FROM_ARENA 0x4152454eu
#define HEADER     16

static _Thread_local struct arena *current;
static int installed;

static void *json_alloc(size_t n)
{
	unsigned char *p;
	uint32_t tag;
	if (current) {
		p = arena_alloc(current, n + HEADER);
		tag = FROM_ARENA;
	} else {
		p = xmalloc(n + HEADER);
		tag = FROM_HEAP;
	}
	*(uint32_t *)p = tag;
	return p + HEADER;
}

static void json_release(void *ptr)
{
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	uint32_t tag = *(uint32_t *)p;
	if (tag == FROM_HEAP)
		free(p);
	else if (tag != FROM_ARENA)
		abort(); /* not one of ours: memory corruption */
}

void json_alloc_init(void)
{
	json_set_alloc_funcs(json_alloc, json_release);
	installed = 1;
}

void json_alloc_use_arena(struct arena *a)
{
	current = a;
}

void json_free_text(char *s)
{
	if (installed)
		json_release(s);
	else
		free(s);
}
