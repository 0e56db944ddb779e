#include "standin/faults.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"

static const int injectable[] = {409, 429, 500, 502, 503, 504};

int faults_parse_pct(const char *s, double *out)
{
	char *end = NULL;
	if (!s || !*s)
		return CAS_EINVAL;
	double v = strtod(s, &end);
	if (*end || isnan(v) || v < 0 || v > 100)
		return CAS_EINVAL;
	*out = v;
	return 0;
}

static int is_injectable(long status)
{
	for (size_t i = 0; i < sizeof(injectable) / sizeof(injectable[0]); i++)
		if (injectable[i] == status)
			return 1;
	return 0;
}

int faults_add_error(struct faults *f, const char *spec, char *err, size_t errsz)
{
	char *end = NULL;
	long status = strtol(spec, &end, 10);
	double pct, total = 0;
	if (end == spec || *end != ':' || faults_parse_pct(end + 1, &pct) != 0) {
		snprintf(err, errsz, "--error-rate attend STATUT:POURCENTAGE, par exemple 503:10");
		return CAS_EINVAL;
	}
	if (!is_injectable(status)) {
		snprintf(err, errsz,
		         "--error-rate : statut %ld non pris en charge "
		         "(409, 429, 500, 502, 503 ou 504)",
		         status);
		return CAS_EINVAL;
	}
	for (int i = 0; i < f->nerrors; i++)
		total += f->errors[i].pct;
	if (f->nerrors == FAULTS_MAX_ERRORS || total + pct > 100) {
		snprintf(err, errsz, "--error-rate : le total des pourcentages dépasse 100");
		return CAS_EINVAL;
	}
	f->errors[f->nerrors].status = (int)status;
	f->errors[f->nerrors++].pct = pct;
	return 0;
}

/* A uniform draw in [0, 100). */
static double draw100(void)
{
	return randombytes_uniform(1000000) / 10000.0;
}

int faults_draw(double pct)
{
	return pct > 0 && draw100() < pct;
}

int faults_draw_error(const struct faults *f)
{
	if (f->nerrors == 0)
		return 0;
	double r = draw100(), acc = 0;
	for (int i = 0; i < f->nerrors; i++) {
		acc += f->errors[i].pct;
		if (r < acc)
			return f->errors[i].status;
	}
	return 0;
}

size_t faults_cut_length(size_t len)
{
	return len / 2;
}
