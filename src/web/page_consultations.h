/* The consultations of State APIs on the dossier page (page_consultations.c). */
#ifndef CAS_PAGE_CONSULTATIONS_H
#define CAS_PAGE_CONSULTATIONS_H
#include <jansson.h>

#include <stdint.h>

struct req;
struct db;
struct actor;

/* The settings page of the data an aid type asks for one provider
 * (GET and POST /admin/aides/{id}/<slug>). */
struct aid_scopes_page {
	json_t *(*get)(struct db *db, const struct actor *who, int64_t aid_type_id, int *err);
	int (*set)(struct db *db, const struct actor *who, int64_t aid_type_id, json_t *in,
	           json_t **errors);
	json_t *(*all)(void); /* the choices: [{code, label}] (new reference) */
	const char *tmpl;     /* template name */
	const char *title;
	const char *slug;  /* last segment of the page's path */
	const char *flash; /* flash code after saving */
};

/* The form of the aid type r->ids[0]. */
void aid_scopes_page_form(struct req *r, const struct aid_scopes_page *p);
/* Saves the submitted choices, then redirects (or shows the form again). */
void aid_scopes_page_update(struct req *r, const struct aid_scopes_page *p);

/* Adds "caf" to the dossier page's context ctx for dossier d (as
 * dossier_get returns it): the consultation button, the last result next
 * to the declared household, the history. Nothing for those who do not
 * see the instruction. */
void page_consultations_dossier_ctx(struct req *r, json_t *ctx, const json_t *d);

/* French label of an API Particulier result kind ("ok", "not_found"...),
 * "Échec" for an unknown one. Static string. */
const char *consultation_kind_label(const char *kind);

#endif
