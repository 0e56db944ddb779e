/* Pièces justificatives of a dossier: upload (PDF, JPEG or PNG, recognised
 * by their content, domain/filetype.h), list, download (recorded in the
 * audit), deletion, the checklist of the dossier's aid type (the aid type's
 * "pieces") with what was received and what is missing, and the request
 * for the missing pieces, which moves the dossier to "en attente de
 * pièces" (app/workflow.h) and produces the "demande de pièces" letter
 * (app/letters.h).
 *
 * Permissions (app/perm.c): listing with PERM_DOSSIER_READ (file names only
 * for those who may read the content), upload PERM_DOCUMENT_UPLOAD, content
 * PERM_DOCUMENT_READ, deletion PERM_DOSSIER_INSTRUCT, request
 * PERM_DOSSIER_REQUEST_DOCS. CAS_ENOTFOUND for a dossier or a document
 * outside the actor's tenant (or a document of another dossier). On invalid
 * input the mutations return CAS_EINVAL with *errors = a new object field
 * -> French message (caller decrefs) and write nothing; each mutation writes
 * its timeline event and its audit entry in its own transaction. */
#ifndef CAS_DOCUMENTS_H
#define CAS_DOCUMENTS_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

#define DOCUMENT_LABEL_MAX 200 /* characters of a piece's label */

/* A file as received. too_big: the adapter stopped reading it at the limit
 * (data then holds nothing useful). */
struct document_file {
	const char *name; /* as the client named it; may be NULL */
	const void *data;
	size_t len;
	int too_big;
};

/* in: {piece: a label of the dossier's checklist, or "autre" with
 * autre: the agent's own label (200 characters at most)}. max: the size
 * limit in bytes. Errors: "fichier" (missing, empty, too big, not a PDF,
 * JPEG or PNG, damaged), "piece", "autre". The type stored is the one the
 * content shows; the name is cleaned and takes its extension. CAS_ETOOBIG
 * (with errors.fichier) for a file over the limit; CAS_ECONFLICT on a
 * closed dossier. */
int document_upload(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                    const struct document_file *file, size_t max, int64_t *id, json_t **errors);

/* The dossier's pièces (new object):
 * {dossier_id, numero, state, aide,
 *  checklist: [{piece, recue (bool), documents: [ids], demandee_le (unix
 *               seconds of the last request naming it, or null)}],
 *  documents: [{id, piece, hors_liste, type_mime, type_label, taille,
 *               created_at, created_by_label, and nom_fichier, sha256 when
 *               can_download}],
 *  manquantes: [labels of the checklist not received], complete (bool: a
 *  checklist, all received), requests: [{id, pieces: [labels], message,
 *  letter_id, created_at, created_by_label}],
 *  can_upload, can_download, can_delete, can_request (bools: what the
 *  actor may do now)}.
 * NULL with *err. */
json_t *document_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

/* The bytes of a document (*out malloc'ed, caller frees; *len bytes) and its
 * description (*meta, new object as in document_dossier's documents). The
 * read is written in the audit ("telechargement") first: no audit entry,
 * no bytes. */
int document_download(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                      void **out, size_t *len, json_t **meta);

/* Deletes a document. CAS_ECONFLICT once the dossier is decided: the pièces
 * then back the decision. */
int document_delete(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id);

/* "Demander les pièces manquantes". in: {pieces: array of labels, or form
 * fields "pieces", "pieces[1]"...; autres: more labels, one per line;
 * message: precisions for the letter (optional, 2 000 characters)}.
 * Records the request, moves the dossier to en_attente_pieces (unless it is
 * there already: a reminder) and produces the demande_pieces letter, all in
 * one transaction. Errors: "pieces" (none, too many, too long), "message",
 * "etat" (the workflow's refusal), "courrier" (the letter's). *request_id
 * and *letter_id (may be NULL) receive the new ids. */
int document_request_missing(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                             int64_t *request_id, int64_t *letter_id, json_t **errors);

#endif
