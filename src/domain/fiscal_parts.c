/* Nombre de parts fiscales: see fiscal_parts.h. Everything is counted in
 * quarter parts (int64_t), the smallest unit the rules produce, and turned
 * into a ratio at the end. */
#include "domain/fiscal_parts.h"

#include <string.h>

#include "base/err.h"

#define FISCAL_MAX_DEPENDANTS 1000

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t clamp01(int64_t v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Quarters given by the dependants by rank: full-charge ones first
 * (ranks 1-2: 2 quarters, then 4), alternating children after them at
 * half the value of their rank. */
static int64_t children_quarters(int64_t pac, int64_t h)
{
	int64_t q = 2 * min64(pac, 1) + 2 * clamp01(pac - 1) + 4 * max64(pac - 2, 0);
	if (h == 0)
		return q;
	if (pac == 0)
		return q + min64(h, 1) + clamp01(h - 1) + 2 * max64(h - 2, 0);
	if (pac == 1)
		return q + min64(h, 1) + 2 * max64(h - 1, 0);
	return q + 2 * h;
}

/* Box T: a half part, or a quarter with a single alternating child. */
static int64_t case_t_quarters(const struct fiscal_household *h, int64_t pac)
{
	if (!h->case_t)
		return 0;
	if (pac > 0)
		return 2;
	return h->nb_h == 1 ? 1 : h->nb_h >= 2 ? 2 : 0;
}

/* Boxes of a person with no dependant at all: at most one half part. */
static int64_t no_dependant_quarters(const struct fiscal_household *h)
{
	int64_t p = h->case_p ? 2 : 0;
	int64_t w = (h->case_w || h->case_g) ? 2 : 0;
	int64_t l = ((h->case_e || h->case_k || h->case_l) && !h->case_n) ? 2 : 0;
	return max64(max64(p, w), l);
}

static int counts_valid(const struct fiscal_household *h)
{
	int v[] = {h->nb_f, h->nb_g, h->nb_h, h->nb_i, h->nb_j, h->nb_r};
	int64_t total = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i] < 0)
			return 0;
		total += v[i];
	}
	return total <= FISCAL_MAX_DEPENDANTS && h->nb_g <= h->nb_f && h->nb_i <= h->nb_h &&
	       (h->status == FISCAL_SEUL || h->status == FISCAL_COUPLE || h->status == FISCAL_VEUF);
}

int fiscal_parts(const struct fiscal_household *h, struct ratio *out)
{
	if (!counts_valid(h))
		return CAS_EINVAL;
	int64_t pac = (int64_t)h->nb_f + h->nb_j + h->nb_r;
	int has_dependant = pac + h->nb_h > 0;
	int64_t q = children_quarters(pac, h->nb_h);
	q += 2 * (int64_t)h->nb_g + h->nb_i + 2 * (int64_t)h->nb_r; /* invalidity */
	if (h->status == FISCAL_COUPLE) {
		q += 8 + max64(2 * ((h->case_p ? 1 : 0) + (h->case_f ? 1 : 0)),
		               (h->case_w || h->case_s) ? 2 : 0);
		return ratio_make(q, 4, out);
	}
	/* single or widow(er): the widow(er) with a dependant keeps the
	 * couple's part */
	q += 4 + ((h->status == FISCAL_VEUF && has_dependant) ? 4 : 0);
	q += has_dependant ? 0 : no_dependant_quarters(h);
	q += (h->case_p && has_dependant) ? 2 : 0;
	q += case_t_quarters(h, pac);
	return ratio_make(q, 4, out);
}

int qf_fiscal_mensuel(int64_t rfr_cents, struct ratio parts, struct ratio *out)
{
	struct ratio monthly;
	if (rfr_cents < 0 || ratio_sign(parts) <= 0)
		return CAS_EINVAL;
	int rc = ratio_make(rfr_cents, 1200, &monthly);
	if (rc == 0)
		rc = ratio_div(monthly, parts, out);
	return rc;
}

int fiscal_status_from_situation(const char *s, enum fiscal_status *out)
{
	static const struct {
		const char *name;
		enum fiscal_status status;
	} map[] = {
	    {"celibataire", FISCAL_SEUL}, {"divorce", FISCAL_SEUL}, {"separe", FISCAL_SEUL},
	    {"concubinage", FISCAL_SEUL}, {"marie", FISCAL_COUPLE}, {"pacse", FISCAL_COUPLE},
	    {"veuf", FISCAL_VEUF},
	};
	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(s, map[i].name) == 0) {
			*out = map[i].status;
			return 1;
		}
	}
	return 0;
}
