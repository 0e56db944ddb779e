/* SQL for the commission (migration 011_commission.sql): sessions, their
 * agenda items and the minutes (procès-verbal) of each. Every query is
 * scoped by tenant_id. Returned json_t are new references (caller
 * decrefs); NULL on a database error, or with *err CAS_ENOTFOUND for a
 * missing row. */
#ifndef CAS_COMMISSION_STORE_H
#define CAS_COMMISSION_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Fields of a session as written. membres: JSON text (array). */
struct commission_row {
	const char *date_seance; /* YYYY-MM-DD */
	const char *heure;       /* HH:MM or "" */
	const char *lieu;
	const char *membres;
};

/* created_by 0: not a user (stored NULL). */
int commission_store_insert(struct db *db, int64_t tenant_id, const struct commission_row *c,
                            int64_t created_by, int64_t now, int64_t *id);
int commission_store_update(struct db *db, int64_t tenant_id, int64_t id,
                            const struct commission_row *c, int64_t now);
/* Moves the session from state `from` to `to` (closed_at set when to is
 * "close"). CAS_ECONFLICT when its state is no longer `from`. */
int commission_store_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *from,
                               const char *to, int64_t now);

/* {id, date_seance, heure, lieu, membres (JSON text), state, created_at,
 * updated_at, closed_at, nb_items, nb_decides, has_pv} */
json_t *commission_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
/* A page of sessions, by date (then id), newest first when desc; same
 * columns. */
json_t *commission_store_list(struct db *db, int64_t tenant_id, int desc, int64_t offset,
                              int limit);
int commission_store_count(struct db *db, int64_t tenant_id, int64_t *n);

/* The agenda, in order: {id, commission_id, dossier_id, ordre,
 * a_rapporter, decision, montant, motif, vote, decided_at,
 * decided_by_label, numero, state, aide, aide_urgence, demandeur,
 * household_id, montant_demande, proposition, montant_propose,
 * appreciation, evaluation_id, instructed_by_label, dossier_decision,
 * montant_accorde, motif_decision, dossier_decided_by_label} */
json_t *commission_store_items(struct db *db, int64_t tenant_id, int64_t commission_id);
/* One item of the session, same columns. */
json_t *commission_store_item(struct db *db, int64_t tenant_id, int64_t commission_id,
                              int64_t item_id, int *err);
/* Appends the dossier at the end of the agenda. CAS_ECONFLICT when it is
 * on this agenda already, or on the agenda of another open session. */
int commission_store_item_insert(struct db *db, int64_t tenant_id, int64_t commission_id,
                                 int64_t dossier_id, int a_rapporter, int64_t now, int64_t *id);
int commission_store_item_delete(struct db *db, int64_t tenant_id, int64_t commission_id,
                                 int64_t item_id);

/* A decision recorded on an item. montant < 0: stored NULL; decided_by 0:
 * not a user (stored NULL). CAS_ECONFLICT when the item was decided
 * meanwhile. */
struct commission_decision {
	const char *decision;
	int64_t montant;
	const char *motif, *vote;
	int64_t decided_by;
	const char *decided_by_label;
};
int commission_store_item_decide(struct db *db, int64_t tenant_id, int64_t item_id,
                                 const struct commission_decision *d, int64_t now);

/* Dossiers that may be put on an agenda: instruit, en_commission and on no
 * agenda of a session not closed, or decided through the emergency path
 * and still to be reported (a_rapporter) and on no such agenda. Columns
 * of dossier_store_get, oldest first, at most limit. */
json_t *commission_store_candidates(struct db *db, int64_t tenant_id, int limit);
/* The session (not closed) whose agenda holds the dossier: {commission_id,
 * item_id, date_seance, state}; CAS_ENOTFOUND when none. */
json_t *commission_store_open_item_of(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                      int *err);
/* At closing: the session's items leave the open agendas, and the
 * dossiers reported in the session (its a_rapporter items) lose their "to
 * be reported" flag. */
int commission_store_clear_reported(struct db *db, int64_t tenant_id, int64_t commission_id);

/* What the anonymised agenda needs about a household: its current members
 * with their identity and contact fields (to hide them from free text):
 * {relation, date_naissance, nom_naissance, nom_usage, prenom1, prenom2,
 * prenom3, adresse, code_postal, commune, telephone, email}. */
json_t *commission_store_members(struct db *db, int64_t tenant_id, int64_t household_id);
/* Monthly totals of the dossier's budget lines: {ressources, charges,
 * nb_lignes}. */
json_t *commission_store_totals(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* The variables and the explanation of an evaluation: {inputs, result}
 * (JSON texts); CAS_ENOTFOUND when none. */
json_t *commission_store_evaluation(struct db *db, int64_t tenant_id, int64_t evaluation_id,
                                    int *err);

/* The letterhead of the minutes: {name, colour, adresse, contact} (the
 * address and contact line of the CCAS's letters, "" when unset). */
json_t *commission_store_letterhead(struct db *db, int64_t tenant_id, int *err);

/* Minutes. */
struct commission_pv {
	const unsigned char *pdf;
	size_t size;
	const char *sha256;
	const char *generated_by_label;
	int64_t generated_at;
};
/* CAS_ECONFLICT when the session has minutes already. */
int commission_store_pv_insert(struct db *db, int64_t tenant_id, int64_t commission_id,
                               const struct commission_pv *pv);
/* The exact bytes: *pdf malloc'ed (caller frees), *n bytes. 0,
 * CAS_ENOTFOUND or a database error. */
int commission_store_pv(struct db *db, int64_t tenant_id, int64_t commission_id,
                        unsigned char **pdf, size_t *n);
/* {pdf_size, pdf_sha256, generated_at, generated_by_label} */
json_t *commission_store_pv_info(struct db *db, int64_t tenant_id, int64_t commission_id, int *err);

#endif
