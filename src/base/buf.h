/* Growable byte buffer with a maximum size and a sticky error: append
 * freely, check buf.err once at the end. The content is always
 * NUL-terminated. */
#ifndef CAS_BUF_H
#define CAS_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* appends that would pass it fail with CAS_ETOOBIG */
	int err;    /* first error, 0 while all appends succeeded */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* empties, keeps memory, clears err */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(const struct buf *b); /* "" when empty; owned by b */
char *buf_steal(struct buf *b);            /* caller frees; b is emptied */

#endif
