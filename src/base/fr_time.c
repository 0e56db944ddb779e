#include "base/fr_time.h"

#include <stdio.h>

#include "base/clock.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* 01:00 UTC on the last Sunday of month (March or October: 31 days). */
static int64_t last_sunday_1am(int y, int month)
{
	int64_t t = clock_make(y, month, 31, 1, 0, 0);
	int64_t weekday = (floor_div(t, 86400) + 4) % 7; /* 1970-01-01 was a Thursday; 0 Sunday */
	if (weekday < 0)
		weekday += 7;
	return t - weekday * 86400;
}

int paris_offset(int64_t t)
{
	int y, m, d;
	clock_ymd(t, &y, &m, &d);
	return t >= last_sunday_1am(y, 3) && t < last_sunday_1am(y, 10) ? 7200 : 3600;
}

void paris_ymd(int64_t t, int *y, int *m, int *d)
{
	clock_ymd(t + paris_offset(t), y, m, d);
}

void paris_date_iso(int64_t t, char out[11])
{
	int y, m, d;
	paris_ymd(t, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
}

static void split(int64_t t, int *y, int *m, int *d, int *hh, int *mi)
{
	int64_t local = t + paris_offset(t);
	clock_ymd(local, y, m, d);
	int64_t secs = local - floor_div(local, 86400) * 86400;
	*hh = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
}

void fr_datetime(int64_t t, char out[FR_DATETIME_SIZE])
{
	int y, m, d, hh, mi;
	split(t, &y, &m, &d, &hh, &mi);
	snprintf(out, FR_DATETIME_SIZE, "%02d/%02d/%04d %02d:%02d", d, m, y, hh, mi);
}

void fr_date(int64_t t, char out[FR_DATETIME_SIZE])
{
	int y, m, d, hh, mi;
	split(t, &y, &m, &d, &hh, &mi);
	snprintf(out, FR_DATETIME_SIZE, "%02d/%02d/%04d", d, m, y);
}

void fr_hour(int64_t t, char out[FR_DATETIME_SIZE])
{
	int y, m, d, hh, mi;
	split(t, &y, &m, &d, &hh, &mi);
	snprintf(out, FR_DATETIME_SIZE, "%02d:%02d", hh, mi);
}
