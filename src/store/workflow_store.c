#include "store/workflow_store.h"

#include "base/err.h"
#include "store/db.h"
#include "store/dossier_cols.h"
#include "store/query.h"

static const char apply_sql[] =
    "UPDATE dossiers SET state = ?, state_since = ?, updated_at = ?, depose_le = ?, "
    "agent_id = nullif(CAST(? AS BIGINT), 0), proposition = ?, "
    "montant_propose = nullif(CAST(? AS BIGINT), -1), appreciation = ?, "
    "evaluation_id = nullif(CAST(? AS BIGINT), 0), "
    "instructed_by = nullif(CAST(? AS BIGINT), 0), "
    "instructed_key_id = nullif(CAST(? AS BIGINT), 0), instructed_by_label = ?, "
    "instructed_at = nullif(CAST(? AS BIGINT), 0), decision = ?, "
    "montant_accorde = nullif(CAST(? AS BIGINT), -1), motif_decision = ?, "
    "decided_by = nullif(CAST(? AS BIGINT), 0), "
    "decided_key_id = nullif(CAST(? AS BIGINT), 0), decided_by_label = ?, "
    "decided_at = nullif(CAST(? AS BIGINT), 0), "
    "notified_at = nullif(CAST(? AS BIGINT), 0), a_rapporter = ? "
    "WHERE tenant_id = ? AND id = ? AND state = ? RETURNING 1";

int wf_store_apply(struct db *db, int64_t tenant_id, int64_t id, const char *from_state,
                   const struct wf_row *r, int64_t now)
{
	int64_t n = 0;
	int rc = q_count(db, &n, apply_sql, "tiitititiiitititiitiiiiit", r->state, r->state_since,
	                 now, r->depose_le, r->agent_id, r->proposition, r->montant_propose,
	                 r->appreciation, r->evaluation_id, r->instructed_by, r->instructed_key_id,
	                 r->instructed_by_label, r->instructed_at, r->decision, r->montant_accorde,
	                 r->motif_decision, r->decided_by, r->decided_key_id, r->decided_by_label,
	                 r->decided_at, r->notified_at, (int64_t)r->a_rapporter, tenant_id, id,
	                 from_state);
	if (rc != 0)
		return rc;
	return n == 1 ? 0 : CAS_ECONFLICT;
}

int wf_store_latest_evaluation(struct db *db, int64_t tenant_id, int64_t dossier_id,
                               int64_t *eval_id)
{
	*eval_id = 0;
	int rc = q_int(db, eval_id,
	               "SELECT id FROM evaluations WHERE tenant_id = ? AND dossier_id = ? "
	               "ORDER BY id DESC LIMIT 1",
	               "ii", tenant_id, dossier_id);
	return rc < 0 ? rc : 0;
}

int wf_store_evaluation_of(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t eval_id)
{
	int64_t n = 0;
	int rc = q_int(db, &n,
	               "SELECT count(*) FROM evaluations WHERE tenant_id = ? AND dossier_id = ? "
	               "AND id = ?",
	               "iii", tenant_id, dossier_id, eval_id);
	return rc < 0 ? rc : n > 0;
}

json_t *wf_store_settings(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(db, err,
	             "SELECT quatre_yeux, delai_instruction, delai_pieces, delai_notification "
	             "FROM tenants WHERE id = ?",
	             "i", tenant_id);
}

int wf_store_settings_set(struct db *db, int64_t tenant_id, int quatre_yeux, int delai_instruction,
                          int delai_pieces, int delai_notification)
{
	return q_exec(
	    db,
	    "UPDATE tenants SET quatre_yeux = ?, delai_instruction = ?, delai_pieces = ?, "
	    "delai_notification = ? WHERE id = ?",
	    "iiiii", (int64_t)quatre_yeux, (int64_t)delai_instruction, (int64_t)delai_pieces,
	    (int64_t)delai_notification, tenant_id);
}

static const char waiting_sql[] = SELECT_COLS
    "WHERE d.tenant_id = ? AND ("
    "(d.state = 'brouillon' AND CAST(? AS BIGINT) = 1 AND d.created_by = ?) "
    "OR (d.state IN (?, ?, ?, ?, ?, ?, ?, ?) AND (d.agent_id IS NULL OR d.agent_id = ?)) "
    "OR (CAST(? AS BIGINT) = 1 AND (d.state = 'en_commission' OR (d.state = 'instruit' AND "
    "a.urgence = 1)) AND NOT (CAST(? AS BIGINT) = 1 AND coalesce(d.instructed_by, 0) = ?))) "
    "ORDER BY coalesce(d.state_since, d.updated_at), d.id LIMIT ?";

json_t *wf_store_waiting(struct db *db, int64_t tenant_id, const struct wf_waiting *w)
{
	const char *const *s = w->assigned;
	return q_rows(db, waiting_sql, "iiittttttttiiiii", tenant_id, (int64_t)w->deposit,
	              w->user_id, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], w->user_id,
	              (int64_t)w->decide, (int64_t)w->four_eyes, w->user_id, (int64_t)w->limit);
}

int wf_store_aid_urgence(struct db *db, int64_t tenant_id, int64_t aid_type_id, int *on)
{
	int64_t v = 0;
	int rc = q_int(db, &v, "SELECT urgence FROM aid_types WHERE tenant_id = ? AND id = ?", "ii",
	               tenant_id, aid_type_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return CAS_ENOTFOUND;
	*on = v != 0;
	return 0;
}

int wf_store_aid_urgence_set(struct db *db, int64_t tenant_id, int64_t aid_type_id, int on)
{
	return q_exec(db, "UPDATE aid_types SET urgence = ? WHERE tenant_id = ? AND id = ?", "iii",
	              (int64_t)(on != 0), tenant_id, aid_type_id);
}
