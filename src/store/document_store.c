#include "store/document_store.h"

#include "base/err.h"
#include "store/query.h"
#include "store/sealed_store.h"

/* Every column but the bytes. */
#define COLS                                                                                       \
	"d.id, d.dossier_id, d.piece, d.hors_liste, d.nom_fichier, d.type_mime, d.taille, "        \
	"d.sha256, d.created_by, coalesce(u.display_name, d.created_by_label) AS "                 \
	"created_by_label, d.created_at FROM documents d LEFT JOIN users u ON u.id = "             \
	"d.created_by "

int document_store_insert(struct db *db, int64_t tenant_id, const struct document_row *d,
                          int64_t now, int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO documents (tenant_id, dossier_id, piece, hors_liste, nom_fichier, "
	          "type_mime, taille, sha256, created_by, created_by_label, created_at, contenu) "
	          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?, ?, ?) "
	          "RETURNING id",
	          "iitittititib", tenant_id, d->dossier_id, d->piece, (int64_t)d->hors_liste,
	          d->nom_fichier, d->type_mime, (int64_t)d->taille, d->sha256, d->created_by,
	          d->created_by_label, now, (const void *)"", (size_t)0);
	if (rc != 1)
		return rc < 0 ? rc : CAS_EDB;
	/* the bytes are sealed for their row, once the row has its id */
	return sealed_put_blob(db, "documents", "contenu", tenant_id, *id, d->contenu, d->taille);
}

json_t *document_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                           int *err)
{
	return q_row(db, err,
	             "SELECT " COLS "WHERE d.tenant_id = ? AND d.dossier_id = ? AND d.id = ?",
	             "iii", tenant_id, dossier_id, id);
}

json_t *document_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(db, "SELECT " COLS "WHERE d.tenant_id = ? AND d.dossier_id = ? ORDER BY d.id",
	              "ii", tenant_id, dossier_id);
}

int document_store_content(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                           void **out, size_t *len)
{
	int rc = q_blob(db, out, len,
	                "SELECT contenu FROM documents WHERE tenant_id = ? AND dossier_id = ? "
	                "AND id = ?",
	                "iii", tenant_id, dossier_id, id);
	if (rc != 1)
		return rc < 0 ? rc : CAS_ENOTFOUND;
	return sealed_open_blob("documents", "contenu", id, out, len);
}

int document_store_delete(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id)
{
	int64_t n = 0;
	int rc = q_count(db, &n,
	                 "DELETE FROM documents WHERE tenant_id = ? AND dossier_id = ? AND id = ? "
	                 "RETURNING 1",
	                 "iii", tenant_id, dossier_id, id);
	return rc < 0 ? rc : n ? 0 : CAS_ENOTFOUND;
}

int document_store_request_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                  const char *pieces, const char *message, int64_t created_by,
                                  const char *created_by_label, int64_t now, int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO document_requests (tenant_id, dossier_id, pieces, message, "
	               "created_by, created_by_label, created_at) "
	               "VALUES (?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
	               "iittiti", tenant_id, dossier_id, pieces, message ? message : "", created_by,
	               created_by_label, now);
	return rc < 0 ? rc : rc == 1 ? 0 : CAS_EDB;
}

int document_store_request_set_letter(struct db *db, int64_t tenant_id, int64_t id,
                                      int64_t letter_id)
{
	return q_exec(db,
	              "UPDATE document_requests SET letter_id = ? WHERE tenant_id = ? AND id = ?",
	              "iii", letter_id, tenant_id, id);
}

json_t *document_store_requests(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(db,
	              "SELECT r.id, r.pieces, r.message, r.letter_id, r.created_by, "
	              "coalesce(u.display_name, r.created_by_label) AS created_by_label, "
	              "r.created_at FROM document_requests r "
	              "LEFT JOIN users u ON u.id = r.created_by "
	              "WHERE r.tenant_id = ? AND r.dossier_id = ? ORDER BY r.id DESC",
	              "ii", tenant_id, dossier_id);
}
