/* Calendar dates, and partial dates for birth dates whose day and/or month
 * are unknown (frequent for people born abroad: "né en 1985").
 *
 * A struct pdate always has a known year; month 0 means an unknown month
 * (and then the day is unknown too), day 0 an unknown day. The storage
 * form is ISO with "00" for the unknown parts: "1985-03-00", "1985-00-00".
 *
 * The *why out-parameters, when not NULL, receive a static French message
 * on failure and are left untouched on success. Nothing here reads the
 * clock: "today" is a parameter. */
#ifndef CAS_DOMAIN_PDATE_H
#define CAS_DOMAIN_PDATE_H

#define PDATE_MIN_YEAR 1900

struct pdate {
	int year;  /* 1900..9999 */
	int month; /* 1..12, 0 = unknown */
	int day;   /* 1..31, 0 = unknown */
};

/* 1 when y-m-d is a real date of the Gregorian calendar (years 1..9999),
 * 0 otherwise. */
int ymd_valid(int y, int m, int d);

/* Number of days of month m (1..12) of year y, 0 for an invalid month. */
int ymd_days_in_month(int y, int m);

/* Compares two full dates: negative, 0 or positive like strcmp. */
int ymd_cmp(int y1, int m1, int d1, int y2, int m2, int d2);

/* Parses a full ISO date "YYYY-MM-DD" (exactly, no spaces) into *y, *m,
 * *d. Returns 0, or CAS_EINVAL when the text or the date is invalid. */
int ymd_parse_iso(const char *s, int *y, int *m, int *d);

/* Parses a possibly partial date. Accepted forms, surrounding spaces
 * ignored: "AAAA-MM-JJ", "AAAA-MM", "AAAA", "JJ/MM/AAAA", "MM/AAAA" (the
 * French forms also with '.' or '-' and one-digit day or month), where a
 * day or month of "00" means unknown ("1985-00-00", "00/03/1985"). The year
 * must be >= 1900 and a known day must exist (29/02 only in leap years); a
 * known day with an unknown month is refused. Returns 0 or CAS_EINVAL (*d
 * is then zeroed). */
int pdate_parse(const char *s, struct pdate *d, const char **why);

/* 0 when the date is not after today, CAS_EINVAL otherwise. A partial date
 * passes when its earliest possible day is not after today ("2025" passes
 * on 2025-01-01). */
int pdate_check_not_future(const struct pdate *d, int today_y, int today_m, int today_d,
                           const char **why);

/* Storage form, always 10 characters: "1985-03-12", "1985-03-00",
 * "1985-00-00". */
void pdate_iso(const struct pdate *d, char out[11]);

/* French display form: "12/03/1985", "03/1985" or "1985". */
void pdate_fr(const struct pdate *d, char out[11]);

/* Age in whole years on y-m-d of a person born on *birth. With unknown
 * parts the birthday is assumed to be the latest possible one (31 December
 * for an unknown month, the last day of the month for an unknown day), so
 * the result is the minimum age the person can have: a threshold such as
 * "65 ans ou plus" is only reached once it is certain. Someone born on 29
 * February gets one year older on 1 March of common years. Returns -1 when the
 * person cannot have been born on that date yet, 0 when the birth may have
 * happened but less than one year ago. */
int pdate_age_at(const struct pdate *birth, int y, int m, int d);

#endif
