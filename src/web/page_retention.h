/* Retention on the dossier page (page_retention.c): the purge date and the
 * legal hold, with the forms to set or lift it. */
#ifndef CAS_PAGE_RETENTION_H
#define CAS_PAGE_RETENTION_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "conservation" to the dossier page's context ctx (app/retention.h
 * retention_dossier, plus the hold kinds for the form). Nothing when it
 * cannot be read. */
void page_retention_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id);

#endif
