/* From a complete request to one queued response: input checks, routing,
 * authentication, permission, CSRF, body parsing, then the handler. */
#ifndef CAS_DISPATCH_H
#define CAS_DISPATCH_H

struct req;

void dispatch(struct req *r);

#endif
