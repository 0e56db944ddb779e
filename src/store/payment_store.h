/* SQL for payees, payments of the aids granted and their vouchers. Every
 * query is scoped by tenant_id. Returned json_t are new references (caller
 * decrefs); NULL on a database error, or with *err CAS_ENOTFOUND for a
 * missing row.
 *
 * The IBAN of a payee is written by payee_store_insert and read back only
 * through the payee rows of this file (one function each way, see
 * payment_store.c), so that its encryption at rest changes this file
 * alone: it is sealed for its payee row (store/sealed_store.h), and a row
 * whose IBAN does not open is not returned (NULL, *err CAS_EIO). */
#ifndef CAS_PAYMENT_STORE_H
#define CAS_PAYMENT_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

struct payee_row {
	const char *kind; /* beneficiaire, bailleur, energie, autre */
	const char *nom;
	const char *iban;   /* normalised */
	const char *bic;    /* "" when none */
	int64_t person_id;  /* 0: none (stored NULL) */
	int64_t created_by; /* 0: an API key or the command line (stored NULL) */
};

int payee_store_insert(struct db *db, int64_t tenant_id, const struct payee_row *p, int64_t now,
                       int64_t *id);
/* {id, kind, nom, iban, bic, person_id, created_at} */
json_t *payee_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
/* The payees a dossier may pay: the third parties of the tenant and the
 * payees of the person person_id, by kind then name; columns as above. */
json_t *payee_store_for_person(struct db *db, int64_t tenant_id, int64_t person_id);

/* What payments need of a dossier: {id, numero, state, decision,
 * montant_accorde (cents or null), aid_type_id, applicant_id, demandeur}. */
json_t *payment_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);

struct payment_row {
	int64_t dossier_id;
	const char *mode; /* virement, nature */
	int64_t payee_id; /* 0 for nature */
	int64_t montant;
	const char *objet;
	const char *date_prevue; /* 'YYYY-MM-DD' or NULL */
	int64_t created_by;
};

/* Inserts a payment 'prevu' numbered after the dossier's last instalment
 * (*echeance). Call under DB_LOCK_PAYMENTS. */
int payment_store_insert(struct db *db, int64_t tenant_id, const struct payment_row *p, int64_t now,
                         int64_t *id, int64_t *echeance);
/* CAS_ECONFLICT when the tenant has given this voucher number already. */
int payment_store_voucher_insert(struct db *db, int64_t tenant_id, int64_t payment_id,
                                 const char *numero, int64_t valeur);
int payment_store_vouchers_delete(struct db *db, int64_t tenant_id, int64_t payment_id);
/* [{numero, valeur}] by id */
json_t *payment_store_vouchers(struct db *db, int64_t tenant_id, int64_t payment_id);

/* {id, dossier_id, mode, payee_id, montant, echeance, objet, date_prevue,
 * state, mandate_le, paye_le, remis_le, created_at, updated_at, payee_nom,
 * payee_kind} */
json_t *payment_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
/* The dossier's payments by instalment, columns as payment_store_get. */
json_t *payment_store_for_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* Sums of the dossier's payments: *engaged those not cancelled, *paid those
 * paid or handed over. */
int payment_store_sums(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t *engaged,
                       int64_t *paid);
/* Moves a payment from state `from` to `to`, setting the date column of
 * the act (mandate_le, paye_le, remis_le; NULL for none). CAS_ECONFLICT
 * when the payment is no longer in state `from`. */
int payment_store_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *from,
                            const char *to, const char *date_column, const char *date, int64_t now);

/* Filters of the payments list: state NULL for any, aid_type_id 0 for
 * any; du / au ('YYYY-MM-DD', NULL for open) bound the date of the mandat
 * or of the remise. */
struct payment_filter {
	const char *state;
	int64_t aid_type_id;
	const char *du, *au;
};

/* A page of the list, newest first: columns of payment_store_get plus
 * numero, aide, demandeur, date_operation. */
json_t *payment_store_list(struct db *db, int64_t tenant_id, const struct payment_filter *f,
                           int64_t offset, int limit);
int payment_store_count(struct db *db, int64_t tenant_id, const struct payment_filter *f,
                        int64_t *n, int64_t *total_montant);

/* The transfers mandated between du and au included (whatever their state
 * since), by date then dossier: {id, payee_id, beneficiaire, iban, bic,
 * montant, objet, numero, echeance, mandate_le, state}. The IBAN is sealed
 * at rest (store/sealed_store.h); rows carry it opened (NULL when it does
 * not open). */
json_t *payment_store_treasury(struct db *db, int64_t tenant_id, const char *du, const char *au);

#endif
