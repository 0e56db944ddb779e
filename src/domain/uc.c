/* Consumption units: see uc.h. Counted in tenths (int64_t). */
#include "domain/uc.h"

#include "base/err.h"

#define UC_MAX_PERSONS 1000
#define UC_ADULT_AGE   14

int uc_oecd(const int *ages, int n, struct ratio *out)
{
	if (!ages || n < 1 || n > UC_MAX_PERSONS)
		return CAS_EINVAL;
	int64_t tenths = 10;
	for (int i = 1; i < n; i++) {
		if (ages[i] < 0)
			return CAS_EINVAL;
		tenths += ages[i] >= UC_ADULT_AGE ? 5 : 3;
	}
	return ratio_make(tenths, 10, out);
}

/* With n' = n - h/2 counted in halves (m = 2n'): the first person 1, the
 * second 0.5 (halved when only half of it is there), 0.3 for each
 * further whole person. In twentieths: 20 + 5 * min(m - 2, 2) + 3 * max(m - 4, 0). */
int uc_cheque_energie(int n, int nb_alternee, struct ratio *out)
{
	if (n < 1 || n > UC_MAX_PERSONS || nb_alternee < 0 || nb_alternee >= n)
		return CAS_EINVAL;
	int64_t m = 2 * (int64_t)n - nb_alternee;
	int64_t second = m - 2 < 2 ? m - 2 : 2;
	int64_t further = m - 4 > 0 ? m - 4 : 0;
	return ratio_make(20 + 5 * second + 3 * further, 20, out);
}
