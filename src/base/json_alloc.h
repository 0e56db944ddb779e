/* jansson's allocator: during a request, JSON values come from the
 * request's arena (a request builds and drops thousands of small objects;
 * the arena releases them at once), elsewhere from the heap. */
#ifndef CAS_JSON_ALLOC_H
#define CAS_JSON_ALLOC_H

struct arena;

/* Installs the allocator; call once at start-up, before any JSON value
 * exists. Without it jansson keeps using malloc. */
void json_alloc_init(void);
/* JSON values created by this thread come from a until the next call; NULL
 * returns to the heap. Values from an arena must not outlive it. */
void json_alloc_use_arena(struct arena *a);
/* Frees a string returned by json_dumps (not with free(): the allocator may
 * be ours). NULL is fine. */
void json_free_text(char *s);

#endif
