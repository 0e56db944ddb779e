/* Shared between the payments files of src/app (payments.c: mutations,
 * payments_read.c: views, lists). */
#ifndef CAS_PAYMENTS_INTERNAL_H
#define CAS_PAYMENTS_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

/* French labels of the stored codes; the code itself when unknown. */
const char *pay_state_label(const char *state);
const char *pay_mode_label(const char *mode);
const char *pay_kind_label(const char *kind);
int pay_kind_known(const char *kind);

/* 1 when s is a valid 'YYYY-MM-DD' date. */
int pay_date_ok(const char *s);

/* Can payments be scheduled on dossier d (payment_store_dossier)? NULL
 * when yes, else the French reason (static). */
const char *pay_schedule_refusal(const json_t *d);

/* The acts possible on payment p of dossier d now: [{action, label,
 * confirm (or absent), dated (the act takes a date)}] (new array; empty when none). */
json_t *pay_actions(const json_t *d, const json_t *p);

#endif
