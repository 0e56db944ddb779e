/* The pièces justificatives on the dossier page (page_documents.c). */
#ifndef CAS_PAGE_DOCUMENTS_H
#define CAS_PAGE_DOCUMENTS_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "pieces" (templates/documents/section.html) to the dossier page's
 * context: the checklist with its status, the documents with their download
 * links, the upload form and the request for the missing pieces, as the
 * actor's role allows. Nothing on failure. */
void page_documents_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id);

#endif
