/* Payments of the aid granted to a dossier (dossiers.montant_accorde):
 * who is paid (payees: the beneficiary or a third party, with an IBAN
 * checked on entry), the instalments (partial payments whose sum never
 * exceeds the amount granted), their acts (mandaté, payé; remis for aid in
 * kind, given as numbered vouchers), and the dossier's moves that follow
 * through app/workflow.h: notifié -> paiement at the first mandat or
 * remise, paiement -> clôturé once the whole amount is paid or handed
 * over.
 *
 * Inputs are JSON objects of strings (form fields). On invalid input the
 * mutations return CAS_EINVAL with *errors = a new object field -> French
 * message (caller decrefs) and write nothing. Each mutation writes its
 * timeline event and its audit entry in its own transaction. CAS_EPERM
 * without the permission, CAS_ENOTFOUND outside the actor's tenant. */
#ifndef CAS_PAYMENTS_H
#define CAS_PAYMENTS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {kind (beneficiaire | bailleur | energie | autre), nom (for a third
 * party; the applicant's name by default for the beneficiary), iban, bic
 * (optional)}. A beneficiary payee is the dossier's applicant. */
int payee_create(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                 int64_t *id, json_t **errors);

/* in: {mode (virement | nature), objet, date_prevue ('YYYY-MM-DD',
 * optional), echeances (number of equal monthly instalments, 1 by default,
 * 12 at most)} and
 *   virement: payee_id, montant ("1 234,56": the total of the instalments);
 *   nature:   bons (voucher numbers separated by spaces, commas or lines),
 *             valeur_bon (the value of one voucher); one payment.
 * The dossier must have an aid granted (decision accorde) and not be
 * closed; the payments not cancelled never exceed the amount granted.
 * *first_id: the first payment created. */
int payment_schedule(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                     int64_t *first_id, json_t **errors);

/* action: "mandater" (virement prevu -> mandate), "payer" (mandate ->
 * paye), "remettre" (nature prevu -> remis), "annuler" (prevu -> annule).
 * in: {date ('YYYY-MM-DD', today when empty; not in the future)}. A
 * refused act is a field error on "action". */
int payment_act(struct db *db, const struct actor *who, int64_t dossier_id, int64_t payment_id,
                const char *action, json_t *in, json_t **errors);

/* The payments section of a dossier: {accorde (cents or null), engage,
 * paye, reste (accorde - engage), can_schedule, payments: [{id, echeance,
 * mode, mode_label, payee_nom, payee_kind_label, montant, objet,
 * date_prevue, state, state_label, mandate_le, paye_le, remis_le, bons:
 * [{numero, valeur}], actions: [{action, label, confirm, dated}]}], payees: [{id,
 * kind, kind_label, nom, iban_masque, bic}], can_write}. New object, NULL
 * with *err. */
json_t *payment_dossier_view(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

struct payment_query {
	const char *etat;    /* payment state code, "" for any */
	const char *aide;    /* aid type id, "" for any */
	const char *du, *au; /* 'YYYY-MM-DD' bounds of the date of mandat or remise, "" open */
	int64_t offset;
	int limit;
};

/* A page of the tenant's payments, newest first: rows {id, dossier_id,
 * numero, aide, demandeur, echeance, mode, mode_label, payee_nom, montant,
 * objet, state, state_label, date_prevue, mandate_le, paye_le, remis_le,
 * date_operation}; *total and *total_montant over the whole filter (may be
 * NULL). CAS_EINVAL with *errors for a bad filter. */
json_t *payment_list(struct db *db, const struct actor *who, const struct payment_query *q,
                     int64_t *total, int64_t *total_montant, int *err, json_t **errors);

/* The states of payments [{state, label}] and the kinds of payees
 * [{code, label}] (new arrays). */
json_t *payment_states(void);
json_t *payee_kinds(void);

/* "FR76 •••• •••• 0189": an IBAN for display (static buffer size 64). */
void payment_iban_mask(const char *iban, char out[64]);

#endif
