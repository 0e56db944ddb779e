#include "domain/retention.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/pdate.h"

struct range {
	int min, max;
	const char *why;
};

static const struct range ranges[] = {
    [RS_ACCORDE] = {RETENTION_ACCORDE_MIN, RETENTION_ACCORDE_MAX,
                    "Indiquez une durée de 12 à 60 mois après la clôture."},
    [RS_REFUS] = {RETENTION_REFUS_MIN, RETENTION_REFUS_MAX,
                  "Indiquez une durée de 3 à 60 mois après la clôture."},
    [RS_CORPS_API] = {RETENTION_CORPS_MIN, RETENTION_ACCORDE_MAX,
                      "Indiquez une durée de 1 à 60 mois, ou laissez vide pour conserver les "
                      "réponses aussi longtemps que le dossier."},
    [RS_TRACES_API] = {RETENTION_TRACES_MIN, RETENTION_TRACES_MAX,
                       "Indiquez une durée de 36 à 60 mois : API Particulier demande que les "
                       "appels soient tracés 36 mois."},
    [RS_ACCES] = {RETENTION_ACCES_MIN, RETENTION_ACCES_MAX,
                  "Indiquez une durée de 6 à 12 mois (recommandation de la CNIL)."},
};

int retention_check(enum retention_setting s, int months, const char **why)
{
	if ((unsigned)s > RS_ACCES)
		return CAS_EINVAL;
	if (s == RS_CORPS_API && months == 0)
		return 0;
	if (months >= ranges[s].min && months <= ranges[s].max)
		return 0;
	if (why)
		*why = ranges[s].why;
	return CAS_EINVAL;
}

int retention_add_months(const char *iso, int months, char out[11])
{
	int y, m, d;
	out[0] = '\0';
	if (!iso || months < -1200 || months > 1200 || ymd_parse_iso(iso, &y, &m, &d) != 0)
		return CAS_EINVAL;
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	if (total < 12 || y > 9999)
		return CAS_EINVAL;
	int last = ymd_days_in_month(y, m);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d > last ? last : d);
	return 0;
}

int retention_is_granted(const char *decision)
{
	return decision && strcmp(decision, "accorde") == 0;
}

int retention_months(const struct retention_rules *r, const char *decision)
{
	return retention_is_granted(decision) ? r->accorde : r->refus;
}

int retention_purge_date(const struct retention_rules *r, const char *closed_on,
                         const char *decision, char out[11])
{
	return retention_add_months(closed_on, retention_months(r, decision), out);
}

int retention_bodies_date(const struct retention_rules *r, const char *closed_on,
                          const char *decision, char out[11])
{
	int months = retention_months(r, decision);
	if (r->corps_api > 0 && r->corps_api < months)
		months = r->corps_api;
	return retention_add_months(closed_on, months, out);
}

int retention_due(const char *date, const char *today)
{
	return date && today && *date && strcmp(date, today) <= 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long days_of(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int retention_days_until(const char *date, const char *today)
{
	int y1, m1, d1, y2, m2, d2;
	if (!date || !today || ymd_parse_iso(date, &y1, &m1, &d1) != 0 ||
	    ymd_parse_iso(today, &y2, &m2, &d2) != 0)
		return 0;
	return (int)(days_of(y1, m1, d1) - days_of(y2, m2, d2));
}

const char *retention_qf_band(int64_t qf)
{
	static const char *const bands[] = {"0-399", "400-599", "600-799", "800-999", "1000-1199"};
	if (qf < 0)
		return "";
	if (qf < 400)
		return bands[0];
	if (qf >= 1200)
		return "1200+";
	return bands[(qf - 200) / 200];
}

const char *retention_household_type(int conjoints, int enfants, int autres)
{
	if (autres > 0 || conjoints > 1)
		return "autre";
	if (conjoints == 1)
		return enfants > 0 ? "couple_avec_enfants" : "couple_sans_enfant";
	return enfants > 0 ? "famille_monoparentale" : "personne_seule";
}

const char *retention_household_label(const char *code)
{
	static const char *const labels[][2] = {
	    {"personne_seule", "Personne seule"},
	    {"couple_sans_enfant", "Couple sans enfant"},
	    {"famille_monoparentale", "Famille monoparentale"},
	    {"couple_avec_enfants", "Couple avec enfants"},
	    {"autre", "Autre composition"},
	};
	for (size_t i = 0; code && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], code) == 0)
			return labels[i][1];
	return code ? code : "";
}
