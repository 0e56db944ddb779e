/* SQL for the budget envelopes (amount allocated per aid type and
 * calendar year) and the CCAS's rule on overruns. Committed = the amounts
 * granted (dossiers.montant_accorde, decision 'accorde') by the decisions
 * taken within the year; paid = the payments paid or handed over of those
 * dossiers. A year is given by its bounds in unix seconds [from, to) (the
 * Paris calendar year, computed by the caller). Every query is scoped by
 * tenant_id; returned json_t are new references (caller decrefs), NULL on
 * a database error. */
#ifndef CAS_BUDGET_STORE_H
#define CAS_BUDGET_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Creates or replaces the envelope of (aid_type_id, annee). updated_by 0
 * is stored NULL. */
int budget_store_set(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                     int64_t montant, int64_t updated_by, int64_t now);
/* *alloue, or CAS_ENOTFOUND when the aid type has no envelope that year. */
int budget_store_allocated(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                           int64_t *alloue);
/* Amount granted by the decisions of [from, to) on the aid type. */
int budget_store_committed(struct db *db, int64_t tenant_id, int64_t aid_type_id, int64_t from,
                           int64_t to, int64_t *out);
/* Every aid type of the tenant with its figures for the year: [{aid_type_id,
 * code, label, active, alloue (cents, null when no envelope), engage, paye}]
 * by label. aid_type_id 0 for all, else that one only. */
json_t *budget_store_year(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                          int64_t from, int64_t to);
/* The CCAS's rule: "avertir" or "bloquer" (static strings). */
int budget_store_overrun_get(struct db *db, int64_t tenant_id, const char **mode);
int budget_store_overrun_set(struct db *db, int64_t tenant_id, const char *mode);

#endif
