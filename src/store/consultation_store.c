#include "store/consultation_store.h"

#include <stdio.h>

#include "base/err.h"
#include "store/query.h"
#include "store/sealed_store.h"

int consultation_store_insert(struct db *db, int64_t tenant_id, const struct consultation_row *c,
                              int64_t *id)
{
	int rc = q_int(
	    db, id,
	    "INSERT INTO consultations (tenant_id, dossier_id, person_id, agent_id, agent_label, "
	    "at, api, endpoint, recipient, scopes, parameters, http_status, error_kind, "
	    "error_code, error_message, request_id, response_sha256, response, signature, "
	    "key_id, public_key, verification_id, spi_hash) VALUES (?, ?, "
	    "nullif(CAST(? AS BIGINT), 0), nullif(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?) RETURNING id",
	    "iiiititttttitttttttttit", tenant_id, c->dossier_id, c->person_id, c->agent_id,
	    c->agent_label, c->at, c->api, c->endpoint, c->recipient, c->scopes, c->parameters,
	    c->http_status, c->error_kind, c->error_code, c->error_message, c->request_id,
	    c->response_sha256, (const char *)NULL, c->signature, c->key_id, c->public_key,
	    c->verification_id, c->spi_hash);
	if (rc < 0)
		return rc;
	/* the response is sealed for its row, once the row has its id */
	return c->response
	           ? sealed_put_text(db, "consultations", "response", tenant_id, *id, c->response)
	           : 0;
}

#define SELECT_COLS                                                                                \
	"SELECT c.id, c.dossier_id, d.numero AS dossier_numero, c.person_id, "                     \
	"coalesce(p.nom_naissance || ' ' || p.prenom1, '') AS person, c.agent_id, "                \
	"c.agent_label, coalesce(u.display_name, c.agent_label) AS agent, c.at, c.api, "           \
	"c.endpoint, c.recipient, c.scopes, c.parameters, c.http_status, c.error_kind, "           \
	"c.error_code, c.error_message, c.request_id, c.response_sha256, c.response, "             \
	"c.signature, c.key_id, c.public_key, c.verification_id, c.spi_hash "                      \
	"FROM consultations c JOIN dossiers d ON d.id = c.dossier_id AND d.tenant_id = "           \
	"c.tenant_id "                                                                             \
	"LEFT JOIN persons p ON p.id = c.person_id AND p.tenant_id = c.tenant_id "                 \
	"LEFT JOIN users u ON u.id = c.agent_id "

json_t *consultation_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                               int *err)
{
	json_t *row =
	    q_row(db, err, SELECT_COLS "WHERE c.tenant_id = ? AND c.dossier_id = ? AND c.id = ?",
	          "iii", tenant_id, dossier_id, id);
	if (row && sealed_open_field(row, "response", "consultations", "response", id) != 0) {
		json_decref(row);
		row = NULL;
		if (err)
			*err = CAS_EIO;
	}
	return row;
}

json_t *consultation_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id, int limit)
{
	json_t *rows = q_rows(db,
	                      SELECT_COLS "WHERE c.tenant_id = ? AND c.dossier_id = ? "
	                                  "ORDER BY c.id DESC LIMIT ?",
	                      "iii", tenant_id, dossier_id, (int64_t)limit);
	if (rows && sealed_open_rows(rows, "response", "consultations", "response") != 0) {
		json_decref(rows);
		rows = NULL;
	}
	return rows;
}

json_t *consultation_store_context(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(
	    db, err,
	    "SELECT d.id AS dossier_id, d.numero, d.state, d.household_id, d.applicant_id, "
	    "d.aid_type_id, a.scopes_particulier AS scopes, t.siret, p.nom_naissance, p.nom_usage, "
	    "p.prenom1, p.prenom2, p.prenom3, p.sexe, p.date_naissance, p.lieu_type, "
	    "p.commune_naissance, p.pays_naissance, p.adresse, p.code_postal, p.commune "
	    "FROM dossiers d JOIN aid_types a ON a.id = d.aid_type_id AND a.tenant_id = "
	    "d.tenant_id "
	    "JOIN tenants t ON t.id = d.tenant_id "
	    "JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = d.tenant_id "
	    "WHERE d.tenant_id = ? AND d.id = ?",
	    "ii", tenant_id, dossier_id);
}

json_t *consultation_store_members(struct db *db, int64_t tenant_id, int64_t household_id)
{
	return q_rows(db,
	              "SELECT m.person_id, m.relation, p.nom_naissance, p.nom_usage, p.prenom1, "
	              "p.prenom2, p.prenom3, p.sexe, p.date_naissance "
	              "FROM household_members m "
	              "JOIN persons p ON p.id = m.person_id AND p.tenant_id = m.tenant_id "
	              "WHERE m.tenant_id = ? AND m.household_id = ? AND m.date_sortie IS NULL "
	              "ORDER BY m.id",
	              "ii", tenant_id, household_id);
}

json_t *consultation_store_persons_like(struct db *db, int64_t tenant_id, const char *nom_fold,
                                        int year)
{
	char lo[16], hi[16];
	snprintf(lo, sizeof(lo), "%04d-00-00", year);
	snprintf(hi, sizeof(hi), "%04d-12-31", year);
	return q_rows(
	    db,
	    "SELECT id, prenom_fold, date_naissance FROM persons WHERE tenant_id = ? "
	    "AND nom_fold = ? AND date_naissance >= ? AND date_naissance <= ? ORDER BY id",
	    "ittt", tenant_id, nom_fold, lo, hi);
}

json_t *consultation_store_provider(struct db *db, int64_t tenant_id, const char *api, int *err)
{
	return q_row(db, err,
	             "SELECT base_url, token_file, updated_at FROM tenant_providers "
	             "WHERE tenant_id = ? AND api = ?",
	             "it", tenant_id, api);
}

int consultation_store_set_provider(struct db *db, int64_t tenant_id, const char *api,
                                    const char *base_url, const char *token_file, int64_t now)
{
	return q_exec(db,
	              "INSERT INTO tenant_providers (tenant_id, api, base_url, token_file, "
	              "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, api) DO UPDATE "
	              "SET base_url = excluded.base_url, token_file = excluded.token_file, "
	              "updated_at = excluded.updated_at",
	              "ittti", tenant_id, api, base_url, token_file, now);
}

json_t *consultation_store_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int *err)
{
	return q_row(db, err,
	             "SELECT id, code, label, scopes_particulier AS scopes FROM aid_types "
	             "WHERE tenant_id = ? AND id = ?",
	             "ii", tenant_id, aid_type_id);
}

int consultation_store_set_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      const char *scopes)
{
	return q_exec(db,
	              "UPDATE aid_types SET scopes_particulier = ? WHERE tenant_id = ? AND id = ?",
	              "tii", scopes, tenant_id, aid_type_id);
}
