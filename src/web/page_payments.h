/* Payments and budgets in other pages: the dossier page's payments section
 * and the budget of an aid type on its page (page_payments.c,
 * page_budgets.c). */
#ifndef CAS_PAGE_PAYMENTS_H
#define CAS_PAGE_PAYMENTS_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "pay" to the dossier page's context: amounts, instalments with
 * their actions, payees, the forms. Nothing for those who may not read
 * payments, nor for a dossier that has neither an aid granted nor
 * payments. */
void page_payments_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id);

/* Adds "budget" to the aid type page's context: the current year's
 * envelope of aid type aid_type_id (allocated, committed, paid,
 * remaining). */
void page_budgets_aid_ctx(struct req *r, json_t *ctx, int64_t aid_type_id);

/* Adds "exports" ({csv, xlsx}: the links of the files of the list as
 * filtered and sorted now) to the dossiers list's context, for those who
 * may export. */
void page_exports_dossier_list_ctx(struct req *r, json_t *ctx);

#endif
