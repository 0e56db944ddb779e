/* SQL for the pièces justificatives of dossiers (documents) and the
 * requests for missing ones (document_requests), migration 010. Every query
 * is scoped by tenant_id. Returned json_t are new references (caller
 * decrefs); NULL on a database error, or with *err CAS_ENOTFOUND for a
 * missing row. */
#ifndef CAS_DOCUMENT_STORE_H
#define CAS_DOCUMENT_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A document to insert. created_by 0: no user (stored NULL). */
struct document_row {
	int64_t dossier_id;
	const char *piece;
	int hors_liste;
	const char *nom_fichier, *type_mime, *sha256;
	const void *contenu;
	size_t taille;
	int64_t created_by;
	const char *created_by_label;
};

/* The bytes are sealed at rest for their row (store/sealed_store.h):
 * CAS_EIO when they cannot be. */
int document_store_insert(struct db *db, int64_t tenant_id, const struct document_row *d,
                          int64_t now, int64_t *id);

/* The description of a document of the dossier, without its bytes:
 * {id, dossier_id, piece, hors_liste, nom_fichier, type_mime, taille,
 * sha256, created_by, created_by_label (the user's name when known),
 * created_at}. */
json_t *document_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                           int *err);
/* The documents of a dossier, oldest first, as document_store_get. */
json_t *document_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* The bytes of a document of the dossier, opened: 0 with *out (caller
 * frees) and *len, CAS_ENOTFOUND, CAS_EIO when they do not open, or another
 * negative cas_err. */
int document_store_content(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                           void **out, size_t *len);
/* Deletes a document of the dossier: 0, or CAS_ENOTFOUND. */
int document_store_delete(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id);

/* A request for missing documents. pieces: JSON array text. */
int document_store_request_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                  const char *pieces, const char *message, int64_t created_by,
                                  const char *created_by_label, int64_t now, int64_t *id);
int document_store_request_set_letter(struct db *db, int64_t tenant_id, int64_t id,
                                      int64_t letter_id);
/* The requests of a dossier, newest first: {id, pieces (JSON text),
 * message, letter_id, created_by, created_by_label, created_at}. */
json_t *document_store_requests(struct db *db, int64_t tenant_id, int64_t dossier_id);

#endif
