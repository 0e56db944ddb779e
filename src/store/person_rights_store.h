/* SQL of the rights of the person (app/person_export.h): what the export
 * reads that no other store reads (the dossiers concerning a person, every
 * evaluation of a dossier, its commission items, the audit entries about
 * the person's objects) and the erasure's deletions. Every query is scoped
 * by tenant_id. Returned json_t are new references (caller decrefs); NULL
 * on a database error. A value sealed at rest (store/sealed_store.h) is
 * opened before it leaves this file. */
#ifndef CAS_PERSON_RIGHTS_STORE_H
#define CAS_PERSON_RIGHTS_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* The dossiers the person applied for, those of a household they belong or
 * belonged to, and those where their identity was sent to a State API, by
 * id: [{id, numero, state, state_since, applicant_id, household_id,
 * aid_type_id, created_at, decision, consulted (1 when a consultation sent the
 * person's identity)}]. */
json_t *prs_dossiers(struct db *db, int64_t tenant_id, int64_t person_id);

/* Every evaluation of the dossier, oldest first: [{id, rule_version_id,
 * version_numero, date_reference, inputs, result (JSON texts), issue,
 * montant_centimes, created_by_label, created_at}]. */
json_t *prs_evaluations(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* The dossier's places on the agendas of the commission: [{id,
 * commission_id, date_seance, lieu, ordre, a_rapporter, decision,
 * montant, motif, vote, decided_at, decided_by_label}]. */
json_t *prs_commission_items(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* The audit entries about the person: the person, their households, their
 * payees, and the dossiers they applied for with those dossiers'
 * consultations, verifications, letters, documents, requests for documents
 * and payments; oldest first: [{id, at, actor_label, action, object_type,
 * object_id, changes (JSON text), redacted_at}]. */
json_t *prs_audit(struct db *db, int64_t tenant_id, int64_t person_id);

/* The consultations that sent the person's identity for a dossier the
 * person did not apply for: [{id, dossier_id, numero}]. */
json_t *prs_consulted_elsewhere(struct db *db, int64_t tenant_id, int64_t person_id);

/* --- erasure, inside the caller's transaction --- */

/* The person's payees some payment still uses: [{id, nom}]. */
json_t *prs_payees_in_use(struct db *db, int64_t tenant_id, int64_t person_id);

/* Deletes the person's household memberships, their payees (none in use),
 * the households left with no member and no dossier among theirs, then
 * the person. The ids of the payees and households deleted are appended
 * to payees and households (arrays of integers). CAS_ENOTFOUND when the
 * person is not in the tenant; CAS_ECONFLICT when a row still refers to
 * them. */
int prs_erase(struct db *db, int64_t tenant_id, int64_t person_id, json_t *payees,
              json_t *households);

#endif
