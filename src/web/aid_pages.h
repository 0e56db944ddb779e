/* Pieces shared by the catalogue and dossier pages of the aid rules
 * (page_aid_types.c, page_aid_rules.c, page_evaluations.c). */
#ifndef CAS_AID_PAGES_H
#define CAS_AID_PAGES_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* The catalogue page; errors and values (borrowed, may be NULL) refill a
 * refused form (creation or CAF parts table). */
void aid_types_render_list(struct req *r, int status, json_t *errors, json_t *values);

/* "2026-01-31" -> "31/01/2026" (JSON null for NULL, other text as is). */
json_t *aid_date_fr(struct req *r, const char *iso);

/* Adds "evaluation" (templates/evaluations/section.html) to the context of
 * the dossier page when the actor may see it; nothing on failure. */
void evaluation_page_ctx(struct req *r, json_t *ctx, int64_t dossier_id);

#endif
