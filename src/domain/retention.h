/* Retention of personal data (durées de conservation): how long a closed
 * dossier is kept, by outcome, and on which day its data are purged; the
 * anonymous categories of the statistics row that outlives it.
 *
 * Pure arithmetic on calendar dates "YYYY-MM-DD" (the Paris dates of the
 * closure and of today, passed in). A duration in months is added on the
 * calendar: the same day number so many months later, or the last day of
 * that month when it is shorter (31 January + 1 month = 28 or 29 February;
 * 29 February 2024 + 12 months = 28 February 2025). A dossier is purged by
 * the first daily run on or after its purge date. */
#ifndef CAS_DOMAIN_RETENTION_H
#define CAS_DOMAIN_RETENTION_H
#include <stdint.h>

/* Defaults and allowed ranges, in months. */
#define RETENTION_ACCORDE_DEFAULT 24 /* aid granted: 2 years after closure (CNIL) */
#define RETENTION_ACCORDE_MIN     12
#define RETENTION_ACCORDE_MAX     60
#define RETENTION_REFUS_DEFAULT   24 /* refused, adjourned or classé sans suite */
#define RETENTION_REFUS_MIN       3  /* the two months of the recours, and the notification */
#define RETENTION_REFUS_MAX       60
#define RETENTION_CORPS_MIN       1  /* State API answers: 0 = as long as the dossier */
#define RETENTION_TRACES_DEFAULT  36 /* API Particulier asks 36 months of traces */
#define RETENTION_TRACES_MIN      36
#define RETENTION_TRACES_MAX      60
#define RETENTION_ACCES_MIN       6 /* access log (CNIL: 6 months to 1 year) */
#define RETENTION_ACCES_MAX       12

/* The durations that apply to one dossier (the aid type's, else the
 * CCAS's), in months. */
struct retention_rules {
	int accorde;    /* after the closure of a dossier whose aid was granted */
	int refus;      /* after the closure of any other dossier */
	int corps_api;  /* after the closure: the State API answers and parameters
	                   sent; 0 = as long as the dossier; never longer */
	int traces_api; /* after the call: the trace of a consultation */
};

/* The settings of retention_rules, for retention_check. */
enum retention_setting {
	RS_ACCORDE,
	RS_REFUS,
	RS_CORPS_API, /* 0 allowed (as long as the dossier) */
	RS_TRACES_API,
	RS_ACCES, /* the access log */
};

/* 0 when months is allowed for setting s, else CAS_EINVAL with a static
 * French message in *why (when not NULL). */
int retention_check(enum retention_setting s, int months, const char **why);

/* iso + months (-1200..1200; negative: months earlier) into out
 * ("YYYY-MM-DD", the day clamped to the end of a shorter month). 0, or
 * CAS_EINVAL for an invalid date or duration, or a result outside the
 * years 1..9999 (out is then ""). */
int retention_add_months(const char *iso, int months, char out[11]);

/* 1 when decision (the dossier's stored decision code, NULL for none) is
 * a grant ("accorde"), else 0: refused, adjourned, sans suite or none. */
int retention_is_granted(const char *decision);

/* The months a closed dossier with this decision is kept. */
int retention_months(const struct retention_rules *r, const char *decision);

/* The day the dossier closed on closed_on is purged: closed_on + its
 * months. 0 or CAS_EINVAL. */
int retention_purge_date(const struct retention_rules *r, const char *closed_on,
                         const char *decision, char out[11]);

/* The day the State API answers of that dossier are erased: closed_on +
 * corps_api months when shorter than the dossier's, else its purge date. */
int retention_bodies_date(const struct retention_rules *r, const char *closed_on,
                          const char *decision, char out[11]);

/* 1 when the purge date has come on today (date <= today), else 0. */
int retention_due(const char *date, const char *today);

/* Whole days from today to date (negative when past); 0 for an invalid
 * date. */
int retention_days_until(const char *date, const char *today);

/* The band of a quotient familial in whole euros, for the statistics:
 * "0-399", "400-599", "600-799", "800-999", "1000-1199", "1200+", or ""
 * when unknown (qf < 0). Static string. */
const char *retention_qf_band(int64_t qf);

/* The kind of household from its members at the closure (the demandeur
 * counted apart): "personne_seule", "couple_sans_enfant",
 * "famille_monoparentale", "couple_avec_enfants" or "autre" (other adults
 * or dependants living with the demandeur). conjoints, enfants, autres
 * (personnes à charge and others): the other members by relation. Static
 * string. */
const char *retention_household_type(int conjoints, int enfants, int autres);

/* French label of a household type code ("Personne seule"...); the code
 * itself when unknown. Static string. */
const char *retention_household_label(const char *code);

#endif
