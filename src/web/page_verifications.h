/* "Vérifier la situation" on the dossier page (page_verifications.c). */
#ifndef CAS_PAGE_VERIFICATIONS_H
#define CAS_PAGE_VERIFICATIONS_H
#include <jansson.h>

struct req;

/* Adds "verif" to the dossier page's context ctx for dossier d (as
 * dossier_get returns it): the form (numéro fiscal, year) and the latest
 * verifications. Nothing for those who do not see the instruction. */
void page_verifications_dossier_ctx(struct req *r, json_t *ctx, const json_t *d);

/* Shapes a verification (verification_get) for templates/verifications/
 * show.html, in place: dates, result labels, links to the justificatifs,
 * amounts in French, discrepancy flags. Returns v. */
json_t *page_verification_view(struct req *r, json_t *v);

/* French label of an API Impôt particulier result kind ("ok", "no_data",
 * "unknown_spi"...), "Échec" for an unknown one. Static string. */
const char *verification_kind_label(const char *kind);

#endif
