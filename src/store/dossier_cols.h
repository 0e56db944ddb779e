/* The columns of a dossier as the store returns them (dossier_store.c,
 * workflow_store.c): private to src/store. */
#ifndef CAS_DOSSIER_COLS_H
#define CAS_DOSSIER_COLS_H

#define PNAME "coalesce(nullif(p.nom_usage, ''), p.nom_naissance) || ' ' || p.prenom1"

/* The workflow columns (migration 008), read by app/workflow.c. */
#define WORKFLOW_COLS                                                                              \
	"d.depose_le, coalesce(d.state_since, d.updated_at) AS state_since, d.agent_id, "          \
	"(SELECT ua.display_name FROM users ua WHERE ua.id = d.agent_id) AS agent, "               \
	"d.proposition, d.montant_propose, d.appreciation, d.evaluation_id, d.instructed_by, "     \
	"d.instructed_key_id, d.instructed_by_label, coalesce((SELECT ui.display_name FROM "       \
	"users ui WHERE ui.id = d.instructed_by), d.instructed_by_label) AS instructed_by_name, "  \
	"d.instructed_at, d.decision, d.montant_accorde, d.motif_decision, d.decided_by, "         \
	"d.decided_key_id, d.decided_by_label, coalesce((SELECT ud.display_name FROM users ud "    \
	"WHERE ud.id = d.decided_by), d.decided_by_label) AS decided_by_name, d.decided_at, "      \
	"d.notified_at, d.a_rapporter, a.urgence AS aide_urgence "

#define SELECT_COLS                                                                                \
	"SELECT d.id, d.numero, d.household_id, h.label AS household_label, "                      \
	"d.applicant_id, " PNAME                                                                   \
	" AS demandeur, d.aid_type_id, a.code AS aide_code, a.label AS aide, d.motif, "            \
	"d.montant_demande, d.state, d.created_by, d.created_at, d.updated_at, " WORKFLOW_COLS     \
	"FROM dossiers d JOIN households h ON h.id = d.household_id AND h.tenant_id = "            \
	"d.tenant_id JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = d.tenant_id "       \
	"JOIN aid_types a ON a.id = d.aid_type_id AND a.tenant_id = d.tenant_id "

#endif
