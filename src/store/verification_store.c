#include "store/verification_store.h"

#include "store/query.h"

int verification_store_insert(struct db *db, int64_t tenant_id, const struct verification_row *v,
                              int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO verifications (tenant_id, dossier_id, agent_id, agent_label, at, "
	          "annee, spi_hash) VALUES (?, ?, nullif(CAST(? AS BIGINT), 0), ?, ?, ?, ?) "
	          "RETURNING id",
	          "iiitiit", tenant_id, v->dossier_id, v->agent_id, v->agent_label, v->at, v->annee,
	          v->spi_hash);
	return rc < 0 ? rc : 0;
}

#define SELECT_COLS                                                                                \
	"SELECT v.id, v.dossier_id, d.numero AS dossier_numero, v.agent_id, v.agent_label, "       \
	"coalesce(u.display_name, v.agent_label) AS agent, v.at, v.annee, v.spi_hash "             \
	"FROM verifications v JOIN dossiers d ON d.id = v.dossier_id AND d.tenant_id = "           \
	"v.tenant_id "                                                                             \
	"LEFT JOIN users u ON u.id = v.agent_id "

json_t *verification_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                               int *err)
{
	return q_row(db, err, SELECT_COLS "WHERE v.tenant_id = ? AND v.dossier_id = ? AND v.id = ?",
	             "iii", tenant_id, dossier_id, id);
}

json_t *verification_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id, int limit)
{
	return q_rows(db,
	              SELECT_COLS "WHERE v.tenant_id = ? AND v.dossier_id = ? "
	                          "ORDER BY v.id DESC LIMIT ?",
	              "iii", tenant_id, dossier_id, (int64_t)limit);
}

json_t *verification_store_consultations(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                         int64_t verification_id)
{
	return q_rows(db,
	              "SELECT id, api, error_kind FROM consultations WHERE tenant_id = ? "
	              "AND dossier_id = ? "
	              "AND verification_id = ? ORDER BY id",
	              "iii", tenant_id, dossier_id, verification_id);
}

json_t *verification_store_impots(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(db, err,
	             "SELECT base_url, client_id_file, client_secret_file, cert_file, key_file, "
	             "id_teleservice, updated_at FROM tenant_impots WHERE tenant_id = ?",
	             "i", tenant_id);
}

static const char *s_of(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

int verification_store_set_impots(struct db *db, int64_t tenant_id, const json_t *s, int64_t now)
{
	return q_exec(db,
	              "INSERT INTO tenant_impots (tenant_id, base_url, client_id_file, "
	              "client_secret_file, cert_file, key_file, id_teleservice, updated_at) "
	              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET "
	              "base_url = excluded.base_url, client_id_file = excluded.client_id_file, "
	              "client_secret_file = excluded.client_secret_file, "
	              "cert_file = excluded.cert_file, key_file = excluded.key_file, "
	              "id_teleservice = excluded.id_teleservice, updated_at = excluded.updated_at",
	              "itttttti", tenant_id, s_of(s, "base_url"), s_of(s, "client_id_file"),
	              s_of(s, "client_secret_file"), s_of(s, "cert_file"), s_of(s, "key_file"),
	              s_of(s, "id_teleservice"), now);
}

json_t *verification_store_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int *err)
{
	return q_row(db, err,
	             "SELECT id, code, label, scopes_impots AS scopes FROM aid_types "
	             "WHERE tenant_id = ? AND id = ?",
	             "ii", tenant_id, aid_type_id);
}

int verification_store_set_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      const char *scopes)
{
	return q_exec(db, "UPDATE aid_types SET scopes_impots = ? WHERE tenant_id = ? AND id = ?",
	              "tii", scopes, tenant_id, aid_type_id);
}
