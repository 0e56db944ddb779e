/* The one clock of the server. Domain code never reads it: it receives
 * "now" as a parameter from the layer that called clock_now().
 *
 * Normal mode: real time. Test mode (clock_set_test_mode(1), chosen by the
 * server when started in test mode): the environment variable CASSIS_NOW
 * (or CASSIS_NOW=@FILE: the time written in FILE, read at every call, so
 * that a test moves the clock of a running server)
 * fixes the clock. Unit tests use clock_set_override() directly. All
 * functions are thread-safe; setters are meant for start-up and tests. */
#ifndef CAS_CLOCK_H
#define CAS_CLOCK_H
#include <stdint.h>

/* Unix seconds: the override if set, else CASSIS_NOW in test mode, else
 * real time. */
int64_t clock_now(void);

/* Real wall-clock time in milliseconds, never overridden (log lines,
 * durations). */
int64_t clock_real_ms(void);

/* on != 0: read CASSIS_NOW now and let it fix clock_now(). Returns 0, or
 * CAS_EINVAL when CASSIS_NOW is set but unparsable (the clock then stays
 * real). An unset CASSIS_NOW leaves the clock real. on == 0 leaves test
 * mode. */
int clock_set_test_mode(int on);

void clock_set_override(int64_t t); /* clock_now() returns t from now on */
void clock_clear_override(void);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" (or a space instead of T),
 * optionally followed by fractional seconds (ignored) and "Z" or an
 * offset "+HH:MM"/"-HH:MM"; or a decimal number of unix seconds. A time
 * without zone is UTC. Returns 0 or CAS_EINVAL. */
int clock_parse(const char *s, int64_t *out);

/* Unix seconds of a UTC calendar date and time (proleptic Gregorian). */
int64_t clock_make(int y, int m, int d, int hh, int mi, int ss);

/* UTC calendar date of t: month 1..12, day 1..31. */
void clock_ymd(int64_t t, int *y, int *m, int *d);

/* "2024-05-31T09:30:00Z" (UTC, no fraction) into out. */
void clock_rfc3339(int64_t t, char out[32]);

#endif
