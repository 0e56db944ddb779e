/* Dates and times as a French reader expects them, in Paris time (the
 * European summer-time rule: UTC+2 from the last Sunday of March to the
 * last Sunday of October, at 01:00 UTC; UTC+1 otherwise). */
#ifndef CAS_FR_TIME_H
#define CAS_FR_TIME_H
#include <stdint.h>

#define FR_DATETIME_SIZE 24

/* Offset of Paris time from UTC at instant t, in seconds (3600 or 7200). */
int paris_offset(int64_t t);
/* The calendar date in Paris at instant t: "today" for the agents. */
void paris_ymd(int64_t t, int *y, int *m, int *d);
/* The calendar date in Paris at instant t as "2025-03-05" into out. */
void paris_date_iso(int64_t t, char out[11]);
/* "05/03/2025 14:07" (Paris time) into out. */
void fr_datetime(int64_t t, char out[FR_DATETIME_SIZE]);
/* "05/03/2025" (Paris time) into out. */
void fr_date(int64_t t, char out[FR_DATETIME_SIZE]);
/* "14:07" (Paris time) into out. */
void fr_hour(int64_t t, char out[FR_DATETIME_SIZE]);

#endif
