/* Allocation wrappers: out of memory aborts the process with a message.
 * Input boundaries check sizes before they allocate. */
#ifndef CAS_XALLOC_H
#define CAS_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* caller frees */
char *xstrndup(const char *s, size_t n); /* caller frees */

#endif
