/* Static assets (our CSS and JS, Pico CSS), embedded at build time. */
#ifndef CAS_STATIC_H
#define CAS_STATIC_H

struct req;

void static_serve(struct req *r, const char *name);

#endif
