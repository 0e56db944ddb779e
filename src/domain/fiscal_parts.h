/* Nombre de parts fiscales of a foyer fiscal (CGI art. 194, 195, 196 A
 * bis), and the monthly fiscal QF = RFR / 12 / parts used by CCAS.
 *
 * Dependants (personnes à charge): F children fully in charge, of whom G
 * with an invalidity card; H children in alternating residence, of whom I
 * invalid; J adult children attached to the foyer; R invalid adults living
 * in the home. Full-charge dependants (F, J, R) take the first ranks, the
 * alternating children the following ones: ranks 1 and 2 give 1/2 part
 * each, rank 3 and further 1 part each, halved for alternating children.
 * Extra parts: 1/2 per invalid child (1/4 alternating) and per R; the
 * widow(er) with a dependant keeps the couple's part; boxes:
 *   T parent isolé (single, living alone with children): +1/2, or with
 *     only alternating children +1/4 for one and +1/2 for two or more;
 *   P declarant invalid, F spouse invalid: +1/2 each in a couple;
 *   W/S over 74 with the carte du combattant (couple: not added to P/F,
 *     the larger counts);
 *   single with no dependant: P, W or G (veuve de guerre), L/E/K (raised a
 *     child alone, unless N): at most +1/2 in total;
 *   single or widow(er), invalid (P) with dependants: +1/2. */
#ifndef CAS_DOMAIN_FISCAL_PARTS_H
#define CAS_DOMAIN_FISCAL_PARTS_H
#include <stdint.h>

#include "domain/ratio.h"

enum fiscal_status {
	FISCAL_SEUL,   /* célibataire, divorcé(e), séparé(e) */
	FISCAL_COUPLE, /* marié(e) or pacsé(e), joint return */
	FISCAL_VEUF,   /* veuf / veuve */
};

struct fiscal_household {
	enum fiscal_status status;
	int nb_f, nb_g, nb_h, nb_i, nb_j, nb_r;
	int case_p, case_f, case_w, case_s, case_g, case_l, case_e, case_k, case_n, case_t;
};

/* Parts of *h, a multiple of 1/4. 0, or CAS_EINVAL for negative or
 * inconsistent counts (G > F, I > H, more than 1000 dependants). */
int fiscal_parts(const struct fiscal_household *h, struct ratio *out);

/* Monthly fiscal QF = rfr / 12 / parts, exact, euros per month. rfr in
 * cents (may be 0, not negative); parts > 0. */
int qf_fiscal_mensuel(int64_t rfr_cents, struct ratio parts, struct ratio *out);

/* 1 when the status name is known and sets *out: "celibataire", "divorce",
 * "separe", "concubinage" (each partner files alone) -> FISCAL_SEUL;
 * "marie", "pacse" -> FISCAL_COUPLE; "veuf" -> FISCAL_VEUF. 0 otherwise. */
int fiscal_status_from_situation(const char *situation_familiale, enum fiscal_status *out);

#endif
