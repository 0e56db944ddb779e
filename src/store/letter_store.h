/* SQL for letters (courriers) of dossiers, the CCAS's letter templates and
 * letterhead settings (migration 009_letters.sql). Every query is scoped by
 * tenant_id. Returned json_t are new references (caller decrefs); NULL on a
 * database error, or with *err CAS_ENOTFOUND for a missing row. */
#ifndef CAS_LETTER_STORE_H
#define CAS_LETTER_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* What a letter says about its dossier: {id, numero, state, aide,
 * montant_demande, motif, depose_le, decision, montant_accorde,
 * motif_decision, created_at, nom_naissance, nom_usage, prenom1, sexe,
 * adresse, code_postal, commune} (the applicant's columns). */
json_t *letter_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);

/* The CCAS: {name, communes, colour, delai_pieces}. */
json_t *letter_store_tenant(struct db *db, int64_t tenant_id, int *err);

/* The next letter number of the dossier (1 for the first). */
int letter_store_next_numero(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t *n);

struct letter_row {
	int64_t dossier_id;
	const char *kind, *titre;
	int64_t numero;
	const unsigned char *pdf;
	size_t pdf_size;
	const char *pdf_sha256;
	const char *data;   /* JSON text */
	int64_t created_by; /* 0: not a user (stored NULL) */
	const char *created_by_label;
	int64_t created_at;
};
/* CAS_ECONFLICT when the dossier already has that numero. */
int letter_store_insert(struct db *db, int64_t tenant_id, const struct letter_row *l, int64_t *id);

/* The dossier's letters, oldest first, without their bytes: [{id, kind,
 * numero, titre, pdf_size, pdf_sha256, created_at, created_by_label}]. */
json_t *letter_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* One letter of the dossier, without its bytes (columns of the list and
 * dossier_id, data). */
json_t *letter_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                         int *err);
/* The exact bytes of a letter of the dossier: *pdf malloc'ed (caller
 * frees), *n bytes. 0, CAS_ENOTFOUND, or a database error. */
int letter_store_pdf(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                     unsigned char **pdf, size_t *n);

/* Template overrides: {kind, body, updated_at} rows, and one of them. */
json_t *letter_store_templates(struct db *db, int64_t tenant_id);
json_t *letter_store_template(struct db *db, int64_t tenant_id, const char *kind, int *err);
/* Inserts or replaces the override of kind. updated_by 0: stored NULL. */
int letter_store_template_set(struct db *db, int64_t tenant_id, const char *kind, const char *body,
                              int64_t updated_by, int64_t now);
/* Removes the override (back to the default). *removed: rows deleted. */
int letter_store_template_delete(struct db *db, int64_t tenant_id, const char *kind,
                                 int64_t *removed);

/* Letterhead settings {adresse, contact, ville, signataire, tribunal}: the
 * row, or CAS_ENOTFOUND when the CCAS has none yet. */
json_t *letter_store_settings(struct db *db, int64_t tenant_id, int *err);
int letter_store_settings_set(struct db *db, int64_t tenant_id, const json_t *s, int64_t updated_by,
                              int64_t now);

#endif
