/* The commission on the dossier page (page_commission.c). */
#ifndef CAS_PAGE_COMMISSION_H
#define CAS_PAGE_COMMISSION_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "commission" to the dossier page's context ctx when the dossier is
 * on the agenda of a session not closed: {commission_id, date_fr,
 * state_label}. Nothing otherwise, or for those who do not read the
 * commission. */
void page_commission_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id);

#endif
