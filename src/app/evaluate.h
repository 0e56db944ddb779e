/* The evaluation of a dossier by the rules of its aid type: the version in
 * force at the dossier's deposit date, the household's situation built
 * from the dossier (members, declared resources and charges, amount asked)
 * with certified data in place of declared data when there are some (the
 * CAF quotient familial of an API Particulier consultation), the result
 * and its explanation. An evaluation is stored with the dossier when the
 * instructeur asks for it; a decided dossier keeps its last evaluation and
 * the version it used, whatever versions come later.
 *
 * Deposit date: the dossiers table has no deposit date column; the
 * dossier's creation date (created_at, Paris calendar day) stands for it.
 *
 * Returned objects are new (caller decrefs); NULL with *err on failure
 * (CAS_ENOTFOUND outside the tenant). */
#ifndef CAS_EVALUATE_H
#define CAS_EVALUATE_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* What the instructeur sees: {
 *   "decided": bool (the dossier is past instruction: its evaluation no
 *              longer changes), "can_evaluate": bool,
 *   "date_reference": "YYYY-MM-DD",
 *   "current": the evaluation on today's data (absent for a decided
 *              dossier): {version: {id, numero, du, au} | null,
 *              inputs, result | null, message (French, when there is no
 *              result)},
 *   "stored": the last stored evaluation or null: {id, rule_version_id,
 *             version_numero, date_reference, inputs, result, issue,
 *             montant_centimes, created_by_label, created_at},
 *   "changed": bool (the data or the version differ from the stored one)}
 * For PERM_DOSSIER_DETAIL. */
json_t *dossier_evaluation(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

/* Computes and stores an evaluation of the dossier (PERM_DOSSIER_EVALUATE),
 * with its audit entry. CAS_ECONFLICT when the dossier is decided;
 * CAS_EINVAL with *errors {"evaluation": French reason} when no version is
 * in force at the deposit date. */
int dossier_evaluate(struct db *db, const struct actor *who, int64_t dossier_id, int64_t *eval_id,
                     json_t **errors);

#endif
