/* SQL of the purge (app/purge.h): the facts a statistics row is made of,
 * and the deletions of a dossier's personal data, table by table, in an
 * order the foreign keys accept on both engines. Every function runs in
 * the caller's transaction.
 *
 * counts: a JSON object the functions add to (key -> number of rows
 * removed, the keys of docs/privacy.md); objects: a JSON array the
 * functions append [object_type, id] pairs to, the objects whose audit
 * entries the caller redacts. Returned json_t are new references. */
#ifndef CAS_PURGE_STORE_H
#define CAS_PURGE_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Adds n to counts[key] (nothing when n is 0). */
void purge_count_add(json_t *counts, const char *key, int64_t n);

/* {id, aid_type_id, decision, montant_demande, montant_accorde (null when
 * none), decided_at, closed_at, household_id, applicant_id, verse (the
 * payments paid or handed over, cents)}; NULL with *err. */
json_t *purge_store_facts(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);
/* The relations of the household's members on date ("YYYY-MM-DD"):
 * [{relation}]. */
json_t *purge_store_members_at(struct db *db, int64_t tenant_id, int64_t household_id,
                               const char *date);
/* The inputs (JSON object) of the dossier's last evaluation, or NULL. */
json_t *purge_store_last_inputs(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* The answer (JSON object, opened when sealed) of the dossier's last
 * successful API Particulier consultation, or NULL. */
json_t *purge_store_last_caf(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* Deletes the dossier and every row that belongs to it; its consultations
 * leave a trace (consultation_traces). The household and the persons are
 * left to the functions below. 0 or a negative cas_err. */
int purge_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, json_t *counts,
                        json_t *objects);
/* When no dossier of the household remains: deletes its members and the
 * household, and appends the persons who were members to persons (ids).
 * Otherwise does nothing. */
int purge_store_household(struct db *db, int64_t tenant_id, int64_t household_id, json_t *persons,
                          json_t *counts, json_t *objects);
/* When nothing refers to the person any more (no dossier as applicant, no
 * household membership, no consultation, no payment to one of their
 * accounts): deletes their accounts (payees) and the person. Otherwise
 * does nothing. */
int purge_store_person(struct db *db, int64_t tenant_id, int64_t person_id, json_t *counts,
                       json_t *objects);
/* A third-party payee (bailleur, energy supplier...) that no payment
 * refers to any more is deleted; otherwise nothing happens. */
int purge_store_payee(struct db *db, int64_t tenant_id, int64_t payee_id, json_t *counts,
                      json_t *objects);

/* Erases the answers and the identity sent of the dossier's
 * consultations not erased yet (parameters '{}', response, error message
 * and numéro fiscal hash NULL, corps_efface_le = now); *n: how many. */
int purge_store_erase_bodies(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t now,
                             int64_t *n);

/* Ids ([{id}], id > after_id, by id, at most limit) of: households without
 * any dossier, created before cutoff, none of whose members changed since;
 * persons referred to by nothing, not changed since cutoff; third-party
 * payees that no payment refers to, created before cutoff. */
json_t *purge_store_dormant_households(struct db *db, int64_t tenant_id, int64_t cutoff,
                                       int64_t after_id, int limit);
json_t *purge_store_dormant_persons(struct db *db, int64_t tenant_id, int64_t cutoff,
                                    int64_t after_id, int limit);
json_t *purge_store_unused_payees(struct db *db, int64_t tenant_id, int64_t cutoff,
                                  int64_t after_id, int limit);

/* Deletes at most limit consultation traces older than before; *n: how
 * many. */
int purge_store_expired_traces(struct db *db, int64_t tenant_id, int64_t before, int limit,
                               int64_t *n);

#endif
