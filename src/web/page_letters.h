/* "Courriers" on the dossier page (page_letters.c). */
#ifndef CAS_PAGE_LETTERS_H
#define CAS_PAGE_LETTERS_H
#include <jansson.h>

struct req;

/* Adds "courriers" to the dossier page's context ctx for dossier d (as
 * dossier_get returns it): the letters produced (with their download
 * links) and the kinds the actor may produce now. Nothing for those who
 * may not read letters. */
void page_letters_dossier_ctx(struct req *r, json_t *ctx, const json_t *d);

#endif
