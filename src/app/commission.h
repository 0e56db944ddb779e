/* The commission (the board of the CCAS that decides individual aids):
 * sessions (date, time, place, members), the agenda built from the
 * instructed dossiers and the emergency aids to report, decisions taken
 * one by one or in batch, the anonymised agenda for the elected members,
 * and the minutes (procès-verbal) generated as PDF when the session is
 * closed.
 *
 * A session is planifiee (agenda being built), tenue from its first
 * decision, close once closed (nothing changes any more; the minutes are
 * stored and served as stored). Every change of state of a dossier goes
 * through app/workflow.h: putting an instructed dossier on the agenda
 * moves it to en_commission, taking it off moves it back to instruit,
 * deciding moves it to decide; the workflow checks the roles, the fields,
 * four-eyes and the budget. A batch of decisions is one transaction: all
 * are recorded or none, and the refused dossier is named.
 *
 * Inputs are JSON objects of strings (form fields). On invalid input the
 * mutations return CAS_EINVAL with *errors = a new object field -> French
 * message (caller decrefs) and write nothing; every mutation writes its
 * audit entry in its transaction. Returned objects are new (caller
 * decrefs); NULL with *err on failure (CAS_ENOTFOUND outside the tenant).
 * CAS_ECONFLICT: the session is closed (or the item decided) already. */
#ifndef CAS_COMMISSION_H
#define CAS_COMMISSION_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {date_seance ("2026-03-20" or "20/03/2026"), heure ("14:30",
 * optional), lieu, membres (one member a line, "Name, qualité"; optional)}.
 * PERM_COMMISSION_MANAGE. */
int commission_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                      json_t **errors);
/* Same fields; not once closed. */
int commission_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                      json_t **errors);

/* A page of sessions (newest first when desc) and the total: rows
 * {id, date_seance, date_fr, heure, lieu, state, state_label, nb_items,
 * nb_decides, has_pv}. PERM_COMMISSION_READ. */
json_t *commission_list(struct db *db, const struct actor *who, int desc, int64_t offset, int limit,
                        int64_t *total, int *err);

/* The session: {id, date_seance, date_fr, date_long, heure, lieu, membres:
 * [{nom, qualite}], membres_text, state, state_label, closed_at, has_pv,
 * pv: {pdf_size, pdf_sha256, generated_at, generated_by_label} | absent,
 * items: [{id, ordre, dossier_id, numero, aide, demandeur, state,
 *          state_label, a_rapporter, montant_demande, proposition,
 *          proposition_label, montant_propose, appreciation (only with
 *          PERM_DOSSIER_DETAIL), decision, decision_label, montant, motif,
 *          vote, decided_by_label, decidable, removable}],
 * can_manage, can_decide, open (not closed)}. PERM_COMMISSION_READ. */
json_t *commission_get(struct db *db, const struct actor *who, int64_t id, int *err);

/* Dossiers that may be put on an agenda (instructed, or in commission and
 * on no open agenda, or emergency decisions to report): rows of the
 * dossier store with state_label, a_rapporter. PERM_COMMISSION_MANAGE. */
json_t *commission_candidates(struct db *db, const struct actor *who, int *err);

/* Puts the dossiers on the agenda, in the order given, in one
 * transaction. Needs PERM_COMMISSION_MANAGE and, once the session is found
 * (another CCAS's session is CAS_ENOTFOUND whatever the role),
 * PERM_DOSSIER_SEND_COMMISSION. CAS_EINVAL with errors {"dossiers": ...}
 * naming the dossier that cannot be added (none is added then). */
int commission_add_dossiers(struct db *db, const struct actor *who, int64_t id,
                            const int64_t *dossier_ids, size_t n, json_t **errors);
/* Takes an undecided item off the agenda (its dossier goes back to
 * instruit when it was en_commission). */
int commission_remove_item(struct db *db, const struct actor *who, int64_t id, int64_t item_id,
                           json_t **errors);

/* in: {decision (accorde, refuse, ajourne, sans_suite), montant ("1 234,56",
 * when accorde), motif (refuse, ajourne), vote (the vote or notes,
 * optional)}. PERM_DOSSIER_DECIDE (the workflow checks four-eyes). */
int commission_decide(struct db *db, const struct actor *who, int64_t id, int64_t item_id,
                      json_t *in, json_t **errors);
/* decisions: [{item_id, decision, montant, motif}] (borrowed), vote: the
 * common vote or notes (may be ""). All or nothing: on a refusal,
 * CAS_EINVAL with errors {"lot": "Dossier 2026-00012 : reason"} and the
 * field errors of that item keyed "<field>_<item_id>". */
int commission_decide_batch(struct db *db, const struct actor *who, int64_t id, json_t *decisions,
                            const char *vote, json_t **errors);

/* Closes the session: every item decided (or reported), then the minutes
 * generated and stored. PERM_COMMISSION_MANAGE. CAS_EINVAL with errors
 * {"cloture": reason} when an item waits for its decision. */
int commission_close(struct db *db, const struct actor *who, int64_t id, json_t **errors);

/* The anonymised agenda: {session: {date_fr, date_long, heure, lieu,
 * state_label}, items: [domain/agenda_anon.h items with "ordre"]}.
 * PERM_COMMISSION_READ. */
json_t *commission_anonymous(struct db *db, const struct actor *who, int64_t id, int *err);

/* The stored minutes of a closed session: *pdf malloc'ed (caller frees),
 * *n bytes. CAS_ENOTFOUND for an unknown session, CAS_ECONFLICT while it
 * is not closed (no minutes yet). PERM_COMMISSION_READ. */
int commission_minutes(struct db *db, const struct actor *who, int64_t id, unsigned char **pdf,
                       size_t *n);

/* The open session whose agenda holds the dossier, for the dossier page:
 * {commission_id, date_fr, state}; NULL with *err CAS_ENOTFOUND when
 * none (or the actor may not read commissions). */
json_t *commission_of_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

/* State labels: "Planifiée", "Tenue", "Close"; "" when unknown. */
const char *commission_state_label(const char *state);

#endif
