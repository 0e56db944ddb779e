/* Shared by person_export.c, person_export_pdf.c and person_erase.c. */
#ifndef CAS_PERSON_EXPORT_INTERNAL_H
#define CAS_PERSON_EXPORT_INTERNAL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fr_time.h"
#include "domain/money.h"

struct db;
struct pdf;

/* Titles of the PDF (the HTTP test looks for them in its text). */
#define PX_TITLE            "Données personnelles de"
#define PX_TITLE_META       "Export des données de la personne"
#define PX_TITLE_IDENTITY   "Identité et coordonnées"
#define PX_TITLE_HOUSEHOLDS "Foyers"
#define PX_TITLE_BANK       "Coordonnées bancaires"
#define PX_TITLE_DOSSIERS   "Dossiers"
#define PX_TITLE_ACCESS     "Journal des accès"
#define PX_TITLE_AUDIT      "Journal d'audit"
#define PX_TITLE_RIGHTS     "Vos droits"

/* How a dossier concerns the person. */
#define PX_ROLE_APPLICANT "demandeur"          /* they applied for it */
#define PX_ROLE_MEMBER    "membre_du_foyer"    /* they were in the household when it opened */
#define PX_ROLE_CONSULTED "personne_consultee" /* their identity was sent to a State API */

/* The dossiers that concern the person, by id: [{id, numero, state,
 * state_since, decision, aid_type_id, role}] (role one of PX_ROLE_*). NULL on error. */
json_t *px_dossiers(struct db *db, int64_t tenant_id, int64_t person_id);

/* How long a dossier is kept, in French, into out: "conservé jusqu'au
 * 15/03/2028" for a closed dossier (its closure plus the retention of the
 * CCAS for its aid and outcome, app/retention.h), with until =
 * "2028-03-15"; "en cours (état « En instruction ») : il est conservé 24
 * mois après sa clôture" for an open one; "gelé pour « … » : il est
 * conservé tant que dure ce gel" under a legal hold (until "" for both).
 * d: {id, state, state_since, decision, aid_type_id}. 0 or an error. */
struct retention_table;
int px_kept_until(struct db *db, int64_t tenant_id, const struct retention_table *t,
                  const json_t *d, char *out, size_t size, char until[11]);

/* --- PDF helpers (person_export_pdf.c) --- */

/* A table: caption (or NULL), columns, header row, relative widths (or
 * NULL). Its cells are a JSON array of strings, row-major. */
struct px_grid {
	const char *caption;
	int ncols;
	const char *const *headers;
	const double *widths;
};
/* Appends a cell (NULL: empty) to cells. */
void px_cell(json_t *cells, const char *s);
void px_cellf(json_t *cells, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON value as lines "path : value". */
void px_cell_flat(json_t *cells, const json_t *v);
/* Draws the table (nothing when cells is empty). */
int px_draw(struct pdf *p, const struct px_grid *g, json_t *cells);
/* The paragraph none when rows is empty. */
int px_draw_none(struct pdf *p, const json_t *rows, const char *none);
/* o[key] as "15/03/2026 11:00" (Paris) from RFC 3339, "" when absent. */
void px_when(const json_t *o, const char *key, char out[FR_DATETIME_SIZE]);
/* o[key] as "15/03/2026" (or "03/1985", "1985") from "YYYY-MM-DD". */
void px_day(const json_t *o, const char *key, char out[11]);
/* o[key] (cents) as "1 234,56 €", "" when absent. */
void px_amount(const json_t *o, const char *key, char out[MONEY_FMT_SIZE]);
const char *px_state_label(const char *code);
const char *px_decision_label(const char *code);

/* The "Dossiers" section of the PDF (person_export_pdf_dossier.c): rows,
 * the document's dossiers (borrowed). 0 or the PDF's error. */
int px_pdf_dossiers(struct pdf *p, const json_t *rows);

#endif
