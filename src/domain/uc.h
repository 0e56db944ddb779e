/* Consumption units (unités de consommation) of a household.
 *
 * INSEE / modified-OECD scale: 1 for the first adult, 0.5 for each other
 * person aged 14 or more, 0.3 for each child under 14.
 *
 * Chèque énergie scale (Code de l'énergie R124-1): 1 for the first person,
 * 0.5 for the second, 0.3 for each further one, whatever the age; a minor
 * in alternating residence counts as half a person: with n persons of whom
 * h alternating, n' = n - h/2 and UC = 1 + 0.5 min(n' - 1, 1) + 0.3 max(n' - 2, 0)
 * (1 adult + 1 alternating child = 1.25). */
#ifndef CAS_DOMAIN_UC_H
#define CAS_DOMAIN_UC_H

#include "domain/ratio.h"

/* ages[0] is the first adult (the applicant; its age is not used), the
 * others' ages in whole years (>= 0). n >= 1. 0 or CAS_EINVAL. */
int uc_oecd(const int *ages, int n, struct ratio *out);

/* n persons (>= 1) of whom nb_alternee in alternating residence
 * (0 <= nb_alternee < n). 0 or CAS_EINVAL. */
int uc_cheque_energie(int n, int nb_alternee, struct ratio *out);

#endif
