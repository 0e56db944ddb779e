/* Reste à vivre: what is left of the household's monthly resources once
 * its monthly charges are paid. Negative values are kept as they are.
 *
 *   per month           = resources - charges
 *   per person per day  = (resources - charges) / persons / 30
 *   per UC per month    = (resources - charges) / UC
 *   per UC per day      = (resources - charges) / UC / 30
 *
 * The month counts RAV_DAYS_PER_MONTH days. Amounts in cents in, exact
 * euros out. */
#ifndef CAS_DOMAIN_RESTE_A_VIVRE_H
#define CAS_DOMAIN_RESTE_A_VIVRE_H
#include <stdint.h>

#include "domain/ratio.h"

#define RAV_DAYS_PER_MONTH 30

/* All return 0, CAS_EINVAL (persons < 1, UC <= 0, negative amounts) or
 * CAS_ETOOBIG. */
int rav_mois(int64_t ressources_cents, int64_t charges_cents, struct ratio *out);
int rav_jour_personne(int64_t ressources_cents, int64_t charges_cents, int nb_personnes,
                      struct ratio *out);
int rav_mois_uc(int64_t ressources_cents, int64_t charges_cents, struct ratio uc,
                struct ratio *out);
int rav_jour_uc(int64_t ressources_cents, int64_t charges_cents, struct ratio uc,
                struct ratio *out);

#endif
