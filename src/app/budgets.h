/* Budget envelopes per aid type and calendar year (Paris time): allocated
 * by the administrateur, committed by the decisions granting an amount,
 * paid by the payments paid or handed over, remaining = allocated -
 * committed. A decision that would exceed its envelope warns or is
 * refused, as the CCAS chose (budget_check_commit, called by the decision
 * transition of app/workflow.c). */
#ifndef CAS_BUDGETS_H
#define CAS_BUDGETS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* The year's figures of every aid type (aid catalogue permission):
 * {annee, depassement ("avertir" | "bloquer"), rows: [{aid_type_id, code,
 * label, active, alloue (cents or null), engage, paye, restant (null
 * without an envelope), depasse (bool), pourcentage}], totals: {alloue,
 * engage, paye, restant (over the aid types with an envelope)}}. aid_type_id 0 for every aid type, else that one
 * only (its page). New object, NULL with *err. */
json_t *budget_year(struct db *db, const struct actor *who, int annee, int64_t aid_type_id,
                    int *err);

/* in: {aid_type_id, annee (2000..2100), montant ("12 000" euros; empty
 * removes nothing: 0 is a valid allocation)}. Audited. */
int budget_set(struct db *db, const struct actor *who, json_t *in, json_t **errors);

/* in: {depassement: "avertir" | "bloquer"} (settings permission). */
int budget_set_overrun(struct db *db, const struct actor *who, json_t *in, json_t **errors);

/* For a decision granting amount_cents on aid_type_id in `year`, inside
 * the caller's open transaction: holds the envelope's lock (DB_LOCK_BUDGET)
 * until that transaction ends, so that concurrent decisions are checked
 * one after the other and cannot overspend it; call it BEFORE the decision
 * is written (the amount is not yet among the committed ones). Returns 0
 * when the decision may go on, with *warning NULL, or a new object
 * {message (French), alloue, engage, montant, depassement} when it exceeds
 * an envelope the CCAS only warns about; CAS_EINVAL with *warning set when
 * the CCAS blocks overruns; or a database error. No envelope for that year:
 * no limit. The caller's transition has checked the permission. */
int budget_check_commit(struct db *db, const struct actor *who, int64_t aid_type_id, int year,
                        int64_t amount_cents, json_t **warning);

/* The decision hook of app/workflow.c: for dossier d (its store row:
 * aid_type_id, decision being taken) granting montant now, runs
 * budget_check_commit for the current year; a blocked overrun becomes a
 * field error on "montant" in errors, a warned one an entry of the
 * dossier's timeline. Returns 0 or a database error. */
int budget_decision_check(struct db *db, const struct actor *who, const json_t *d, int64_t montant,
                          json_t *errors);

/* [from, to) of the Paris calendar year in unix seconds. */
void budget_year_bounds(int year, int64_t *from, int64_t *to);

#endif
