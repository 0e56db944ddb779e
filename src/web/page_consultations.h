/* The consultations of State APIs on the dossier page (page_consultations.c). */
#ifndef CAS_PAGE_CONSULTATIONS_H
#define CAS_PAGE_CONSULTATIONS_H
#include <jansson.h>

struct req;

/* Adds "caf" to the dossier page's context ctx for dossier d (as
 * dossier_get returns it): the consultation button, the last result next
 * to the declared household, the history. Nothing for those who do not
 * see the instruction. */
void page_consultations_dossier_ctx(struct req *r, json_t *ctx, const json_t *d);

/* French label of an API Particulier result kind ("ok", "not_found"...),
 * "Échec" for an unknown one. Static string. */
const char *consultation_kind_label(const char *kind);

#endif
