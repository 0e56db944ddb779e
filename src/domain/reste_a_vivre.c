/* Reste à vivre: see reste_a_vivre.h. */
#include "domain/reste_a_vivre.h"

#include "base/err.h"

int rav_mois(int64_t ressources_cents, int64_t charges_cents, struct ratio *out)
{
	if (ressources_cents < 0 || charges_cents < 0)
		return CAS_EINVAL;
	return ratio_make(ressources_cents - charges_cents, 100, out);
}

int rav_jour_personne(int64_t ressources_cents, int64_t charges_cents, int nb_personnes,
                      struct ratio *out)
{
	struct ratio month;
	if (nb_personnes < 1)
		return CAS_EINVAL;
	int rc = rav_mois(ressources_cents, charges_cents, &month);
	if (rc == 0)
		rc = ratio_div(month, ratio_int((int64_t)nb_personnes * RAV_DAYS_PER_MONTH), out);
	return rc;
}

int rav_mois_uc(int64_t ressources_cents, int64_t charges_cents, struct ratio uc, struct ratio *out)
{
	struct ratio month;
	if (ratio_sign(uc) <= 0)
		return CAS_EINVAL;
	int rc = rav_mois(ressources_cents, charges_cents, &month);
	if (rc == 0)
		rc = ratio_div(month, uc, out);
	return rc;
}

int rav_jour_uc(int64_t ressources_cents, int64_t charges_cents, struct ratio uc, struct ratio *out)
{
	struct ratio month;
	int rc = rav_mois_uc(ressources_cents, charges_cents, uc, &month);
	if (rc == 0)
		rc = ratio_div(month, ratio_int(RAV_DAYS_PER_MONTH), out);
	return rc;
}
