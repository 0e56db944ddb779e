/* The route table: method, path pattern, the permission it needs, and how
 * the caller authenticates. Patterns use "{id}" for a positive integer
 * segment, e.g. "/usagers/{id}/modifier". */
#ifndef CAS_ROUTE_H
#define CAS_ROUTE_H
#include "app/perm.h"

struct req;

enum route_kind {
	ROUTE_PUBLIC, /* no authentication (login, health, static files) */
	ROUTE_PAGE,   /* HTML, session cookie; POST needs the CSRF token */
	ROUTE_API,    /* JSON, API key (Authorization: Bearer cas_...) */
};

struct route {
	const char *method;
	const char *pattern;
	enum route_kind kind;
	enum perm perm;
	void (*handler)(struct req *r);
};

/* Finds the route for method and path and fills r->ids. Sets *path_known
 * when the path exists for another method (405). */
const struct route *route_match(struct req *r, const char *method, const char *path,
                                int *path_known);
/* The whole table, terminated by a NULL method (for tests and docs). */
extern const struct route routes[];

#endif
