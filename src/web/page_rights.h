/* Rights of the person on the person page (page_rights.c). */
#ifndef CAS_PAGE_RIGHTS_H
#define CAS_PAGE_RIGHTS_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "rights" (templates/rights/person.html) to the person page's
 * context when the actor may export or erase: the export links, and the
 * erasure button or the reason why the person cannot be erased. */
void page_rights_person_ctx(struct req *r, json_t *ctx, int64_t person_id);

#endif
