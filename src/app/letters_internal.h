/* Shared by letters.c (use cases), letter_build.c (the data of a letter),
 * letter_render.c (templates to PDF) and letter_admin.c (templates and
 * letterhead settings). Not a public header. */
#ifndef CAS_LETTERS_INTERNAL_H
#define CAS_LETTERS_INTERNAL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

#define LETTER_BODY_MAX 20000 /* characters of a template */

/* Everything one letter is drawn from. Strings borrowed. */
struct letter_doc {
	const char *ccas_nom, *adresse, *communes, *contact, *colour; /* letterhead */
	const char *destinataire;                                     /* recipient block, lines */
	const char *lieu_date; /* "Montreuil, le 3 mars 2025" */
	const char *reference; /* small lines under the date */
	const char *body;      /* template text */
	const char *recours;   /* voies de recours template text, or NULL */
	json_t *vars;          /* template variables */
	const char *title;     /* PDF /Title */
	const char *footer;    /* footer label */
	int64_t created;       /* /CreationDate */
	const char *id_seed;   /* /ID seed */
};

/* Renders doc to PDF bytes (*pdf malloc'ed, caller frees). 0, CAS_EINVAL
 * with the French reason in err (a template that does not compile), or
 * CAS_EIO. */
int letter_render(const struct letter_doc *doc, unsigned char **pdf, size_t *len, char *err,
                  size_t errsz);

/* Renders a template text against vars as plain text (no HTML escaping).
 * *out malloc'ed (caller frees). 0 or CAS_EINVAL with err. */
int letter_text(const char *tmpl, json_t *vars, char **out, char *err, size_t errsz);

/* The CCAS's template text of kind: its override or the default. New
 * string (caller frees); NULL on a database error (*err). */
char *letter_template_text(struct db *db, int64_t tenant_id, const char *kind, int *err);

/* The CCAS's letterhead: {nom, adresse, adresse_ligne, communes, contact,
 * colour, ville, signataire, tribunal, delai_pieces} with the defaults
 * applied. New object; NULL with *err. */
json_t *letter_ccas(struct db *db, int64_t tenant_id, int *err);

/* "3 mars 2025" (Paris date of t) / of "YYYY-MM-DD"; out >= 32 bytes. */
void letter_date_fr(int64_t t, char *out, size_t outsz);
void letter_iso_date_fr(const char *iso, char *out, size_t outsz);

/* Template texts to use instead of the CCAS's (the preview of a template
 * being edited); NULL members: the CCAS's. */
struct letter_given {
	const char *body, *recours;
};

/* Builds the letter of kind for dossier row d (letter_store_dossier's
 * columns) numbered numero at time now, and renders it. params as
 * letters_generate (validated here: CAS_EINVAL with *errors). given may be
 * NULL. On success *pdf (caller frees), *len and *data (the frozen
 * variables and texts, new object) are set. */
int letter_build(struct db *db, const struct actor *who, json_t *ccas, json_t *d, const char *kind,
                 const json_t *params, int64_t numero, int64_t now,
                 const struct letter_given *given, unsigned char **pdf, size_t *len, json_t **data,
                 json_t **errors);

/* 1 when kind is a letter kind (not voies_recours). */
int letter_kind_valid(const char *kind);
/* 1 when a letter of kind may be produced for a dossier in state with
 * decision (NULL when none). */
int letter_kind_fits(const char *kind, const char *state, const char *decision);

#endif
