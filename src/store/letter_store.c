#include "store/letter_store.h"

#include "base/err.h"
#include "store/db.h"
#include "store/query.h"

json_t *letter_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(db, err,
	             "SELECT d.id, d.numero, d.state, a.label AS aide, d.montant_demande, d.motif, "
	             "d.depose_le, d.decision, d.montant_accorde, d.motif_decision, d.decided_at, "
	             "d.created_at, "
	             "p.nom_naissance, p.nom_usage, p.prenom1, p.sexe, p.adresse, p.code_postal, "
	             "p.commune FROM dossiers d "
	             "JOIN aid_types a ON a.id = d.aid_type_id AND a.tenant_id = d.tenant_id "
	             "JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = d.tenant_id "
	             "WHERE d.tenant_id = ? AND d.id = ?",
	             "ii", tenant_id, dossier_id);
}

json_t *letter_store_tenant(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(db, err,
	             "SELECT name, communes, colour, delai_pieces FROM tenants WHERE id = ?", "i",
	             tenant_id);
}

int letter_store_next_numero(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t *n)
{
	int rc = q_int(db, n,
	               "SELECT coalesce(max(numero), 0) + 1 FROM letters "
	               "WHERE tenant_id = ? AND dossier_id = ?",
	               "ii", tenant_id, dossier_id);
	return rc < 0 ? rc : 0;
}

int letter_store_insert(struct db *db, int64_t tenant_id, const struct letter_row *l, int64_t *id)
{
	int rc;

	if (l->created_by)
		rc = q_int(db, id,
		           "INSERT INTO letters (tenant_id, dossier_id, kind, numero, titre, pdf, "
		           "pdf_size, pdf_sha256, data, created_by, created_by_label, created_at) "
		           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		           "iititbittiti", tenant_id, l->dossier_id, l->kind, l->numero, l->titre,
		           (const void *)l->pdf, l->pdf_size, (int64_t)l->pdf_size, l->pdf_sha256,
		           l->data, l->created_by, l->created_by_label, l->created_at);
	else
		rc = q_int(db, id,
		           "INSERT INTO letters (tenant_id, dossier_id, kind, numero, titre, pdf, "
		           "pdf_size, pdf_sha256, data, created_by, created_by_label, created_at) "
		           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING id",
		           "iititbittti", tenant_id, l->dossier_id, l->kind, l->numero, l->titre,
		           (const void *)l->pdf, l->pdf_size, (int64_t)l->pdf_size, l->pdf_sha256,
		           l->data, l->created_by_label, l->created_at);
	return rc < 0 ? rc : 0;
}

#define LIST_COLS                                                                                  \
	"SELECT id, dossier_id, kind, numero, titre, pdf_size, pdf_sha256, created_at, "           \
	"created_by_label FROM letters "

json_t *letter_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(db, LIST_COLS "WHERE tenant_id = ? AND dossier_id = ? ORDER BY numero", "ii",
	              tenant_id, dossier_id);
}

json_t *letter_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id, int *err)
{
	return q_row(db, err,
	             "SELECT id, dossier_id, kind, numero, titre, pdf_size, pdf_sha256, data, "
	             "created_at, created_by_label FROM letters "
	             "WHERE tenant_id = ? AND dossier_id = ? AND id = ?",
	             "iii", tenant_id, dossier_id, id);
}

int letter_store_pdf(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                     unsigned char **pdf, size_t *n)
{
	void *out;
	int rc = q_blob(db, &out, n,
	                "SELECT pdf FROM letters WHERE tenant_id = ? AND dossier_id = ? AND id = ?",
	                "iii", tenant_id, dossier_id, id);

	*pdf = out;
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : CAS_ENOTFOUND;
}

json_t *letter_store_templates(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT kind, body, updated_at FROM letter_templates WHERE tenant_id = ? "
	              "ORDER BY kind",
	              "i", tenant_id);
}

json_t *letter_store_template(struct db *db, int64_t tenant_id, const char *kind, int *err)
{
	return q_row(db, err,
	             "SELECT kind, body, updated_at FROM letter_templates "
	             "WHERE tenant_id = ? AND kind = ?",
	             "it", tenant_id, kind);
}

int letter_store_template_set(struct db *db, int64_t tenant_id, const char *kind, const char *body,
                              int64_t updated_by, int64_t now)
{
	if (updated_by)
		return q_exec(db,
		              "INSERT INTO letter_templates (tenant_id, kind, body, updated_by, "
		              "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kind) DO "
		              "UPDATE SET body = excluded.body, updated_by = excluded.updated_by, "
		              "updated_at = excluded.updated_at",
		              "ittii", tenant_id, kind, body, updated_by, now);
	return q_exec(db,
	              "INSERT INTO letter_templates (tenant_id, kind, body, updated_by, "
	              "updated_at) VALUES (?, ?, ?, NULL, ?) ON CONFLICT (tenant_id, kind) DO "
	              "UPDATE SET body = excluded.body, updated_by = NULL, "
	              "updated_at = excluded.updated_at",
	              "itti", tenant_id, kind, body, now);
}

int letter_store_template_delete(struct db *db, int64_t tenant_id, const char *kind,
                                 int64_t *removed)
{
	return q_count(db, removed,
	               "DELETE FROM letter_templates WHERE tenant_id = ? AND kind = ? RETURNING 1",
	               "it", tenant_id, kind);
}

json_t *letter_store_settings(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(db, err,
	             "SELECT adresse, contact, ville, signataire, tribunal, updated_at "
	             "FROM letter_settings WHERE tenant_id = ?",
	             "i", tenant_id);
}

static const char *str(const json_t *s, const char *key)
{
	const char *v = json_string_value(json_object_get(s, key));
	return v ? v : "";
}

#define SETTINGS_UPSERT                                                                            \
	" ON CONFLICT (tenant_id) DO UPDATE SET adresse = excluded.adresse, "                      \
	"contact = excluded.contact, ville = excluded.ville, signataire = excluded.signataire, "   \
	"tribunal = excluded.tribunal, updated_by = excluded.updated_by, "                         \
	"updated_at = excluded.updated_at"

int letter_store_settings_set(struct db *db, int64_t tenant_id, const json_t *s, int64_t updated_by,
                              int64_t now)
{
	if (updated_by)
		return q_exec(db,
		              "INSERT INTO letter_settings (tenant_id, adresse, contact, ville, "
		              "signataire, tribunal, updated_by, updated_at) "
		              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)" SETTINGS_UPSERT,
		              "itttttii", tenant_id, str(s, "adresse"), str(s, "contact"),
		              str(s, "ville"), str(s, "signataire"), str(s, "tribunal"), updated_by,
		              now);
	return q_exec(db,
	              "INSERT INTO letter_settings (tenant_id, adresse, contact, ville, "
	              "signataire, tribunal, updated_by, updated_at) "
	              "VALUES (?, ?, ?, ?, ?, ?, NULL, ?)" SETTINGS_UPSERT,
	              "ittttti", tenant_id, str(s, "adresse"), str(s, "contact"), str(s, "ville"),
	              str(s, "signataire"), str(s, "tribunal"), now);
}
