/* Region allocator: many small allocations released at once (one per
 * request). Allocation never fails (aborts on out of memory). */
#ifndef CAS_ARENA_H
#define CAS_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);                 /* free with arena_free */
void arena_free(struct arena *a);              /* releases every block */
void *arena_alloc(struct arena *a, size_t n);  /* 16-byte aligned, uninitialised */
void *arena_zalloc(struct arena *a, size_t n); /* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
size_t arena_used(const struct arena *a); /* bytes handed out so far */

#endif
