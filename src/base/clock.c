#include "base/clock.h"

#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"

static _Atomic int have_override;
static _Atomic int64_t override_t;
static _Atomic int have_env_time;
static _Atomic int64_t env_t;
static _Atomic int have_env_file;
static char env_file[512];

/* The time written in the test clock file, or -1. */
static int64_t read_env_file(void)
{
	char line[64];
	int64_t t;
	FILE *f = fopen(env_file, "r");
	if (!f)
		return -1;
	char *ok = fgets(line, sizeof(line), f);
	fclose(f);
	if (!ok)
		return -1;
	line[strcspn(line, "\r\n")] = '\0';
	return clock_parse(line, &t) == 0 ? t : -1;
}

int64_t clock_now(void)
{
	if (atomic_load(&have_override))
		return atomic_load(&override_t);
	if (atomic_load(&have_env_file)) {
		int64_t t = read_env_file();
		if (t >= 0)
			return t;
	}
	if (atomic_load(&have_env_time))
		return atomic_load(&env_t);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t clock_real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int clock_set_test_mode(int on)
{
	atomic_store(&have_env_time, 0);
	atomic_store(&have_env_file, 0);
	if (!on)
		return 0;
	const char *s = getenv("CASSIS_NOW");
	if (!s || !*s)
		return 0;
	if (s[0] == '@') { /* a file holding the time, read at every call */
		snprintf(env_file, sizeof(env_file), "%s", s + 1);
		atomic_store(&have_env_file, 1);
		return 0;
	}
	int64_t t;
	if (clock_parse(s, &t) != 0)
		return CAS_EINVAL;
	atomic_store(&env_t, t);
	atomic_store(&have_env_time, 1);
	return 0;
}

void clock_set_override(int64_t t)
{
	atomic_store(&override_t, t);
	atomic_store(&have_override, 1);
}

void clock_clear_override(void)
{
	atomic_store(&have_override, 0);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t clock_make(int y, int m, int d, int hh, int mi, int ss)
{
	return days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void clock_ymd(int64_t t, int *y, int *m, int *d)
{
	civil_from_days(floor_div(t, 86400), y, m, d);
}

void clock_rfc3339(int64_t t, char out[32])
{
	int y, m, d;
	int64_t secs = t - floor_div(t, 86400) * 86400;
	clock_ymd(t, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Reads exactly n digits at *s into *v and advances *s. */
static int digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 0;
}

static int expect(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

static int parse_date(const char **s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || expect(s, '-') || digits(s, 2, m) || expect(s, '-') ||
	    digits(s, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

/* "HH:MM:SS[.frac]" into seconds of the day. */
static int parse_time(const char **s, int *secs)
{
	int hh, mi, ss;
	if (digits(s, 2, &hh) || expect(s, ':') || digits(s, 2, &mi) || expect(s, ':') ||
	    digits(s, 2, &ss))
		return -1;
	if (hh > 23 || mi > 59 || ss > 60)
		return -1;
	if (**s == '.') {
		(*s)++;
		if (!isdigit((unsigned char)**s))
			return -1;
		while (isdigit((unsigned char)**s))
			(*s)++;
	}
	*secs = hh * 3600 + mi * 60 + ss;
	return 0;
}

/* "", "Z" or "+HH:MM" / "-HH:MM" into seconds east of UTC. */
static int parse_zone(const char **s, int *offset)
{
	int hh, mi;
	*offset = 0;
	if (**s == '\0')
		return 0;
	if (**s == 'Z' || **s == 'z') {
		(*s)++;
		return 0;
	}
	int sign = **s == '+' ? 1 : **s == '-' ? -1 : 0;
	if (!sign)
		return -1;
	(*s)++;
	if (digits(s, 2, &hh) || expect(s, ':') || digits(s, 2, &mi) || hh > 23 || mi > 59)
		return -1;
	*offset = sign * (hh * 3600 + mi * 60);
	return 0;
}

static int parse_unix(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0')
		return CAS_EINVAL;
	*out = v;
	return 0;
}

int clock_parse(const char *s, int64_t *out)
{
	int y, m, d, secs = 0, offset = 0;
	if (!s || !*s)
		return CAS_EINVAL;
	if (!(isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	      isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-'))
		return parse_unix(s, out);
	if (parse_date(&s, &y, &m, &d) != 0)
		return CAS_EINVAL;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (parse_time(&s, &secs) != 0 || parse_zone(&s, &offset) != 0)
			return CAS_EINVAL;
	}
	if (*s != '\0')
		return CAS_EINVAL;
	*out = clock_make(y, m, d, 0, 0, 0) + secs - offset;
	return 0;
}
