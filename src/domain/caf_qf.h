/* Quotient familial of the CAF (action sociale):
 *
 *     QF = (annual resources / 12 + monthly family benefits) / parts
 *
 * The parts depend on the household and on a parts table, a parameter of
 * each CCAS (JSON), CNAF table by default:
 *
 *   {"nom": "CNAF",
 *    "couple": "2",              base of a couple
 *    "isole": "2",               base of an isolated allocataire
 *    "isole_sans_enfant": "2",   optional, base of an isolated person with
 *                                no child (default: "isole")
 *    "parent_isole": "0",        optional, added once for an isolated
 *                                person with at least one child
 *    "enfants": ["0.5", "0.5", "1", "0.5"],
 *                                part of the child of rank 1, 2, 3...; the
 *                                last value is repeated for further ranks
 *    "handicap": "0.5"}          added per child giving right to the AEEH
 *
 * Values are decimal strings or JSON numbers (ratio_parse forms). The
 * Brest métropole variant: couple 2, isole 1, parent_isole 0.5, same
 * children and handicap parts (isolated + 1 child = 2). */
#ifndef CAS_DOMAIN_CAF_QF_H
#define CAS_DOMAIN_CAF_QF_H
#include <stdint.h>
#include <jansson.h>

#include "domain/ratio.h"

#define CAF_PARTS_MAX_RANKS 8

struct caf_parts_table {
	struct ratio couple, isole, isole_sans_enfant, parent_isole, handicap;
	struct ratio enfants[CAF_PARTS_MAX_RANKS];
	int nb_ranks; /* 1..CAF_PARTS_MAX_RANKS */
};

/* The CNAF table. */
void caf_parts_table_cnaf(struct caf_parts_table *t);

/* Reads a table from JSON (NULL = CNAF). Returns 0, or CAS_EINVAL with a
 * static French message in *why (when not NULL). Parts must be >= 0 and
 * bases > 0. */
int caf_parts_table_from_json(const json_t *j, struct caf_parts_table *t, const char **why);

/* Number of CAF parts. nb_enfants: dependent children; nb_aeeh: of whom
 * giving right to the AEEH (<= nb_enfants). 0 or CAS_EINVAL (negative
 * counts, more than 1000 children) / CAS_ETOOBIG. */
int caf_parts(const struct caf_parts_table *t, int en_couple, int nb_enfants, int nb_aeeh,
              struct ratio *out);

/* QF = (annual_cents / 100 / 12 + pf_month_cents / 100) / parts, exact, in
 * euros per month. parts must be > 0. */
int caf_qf(int64_t annual_cents, int64_t pf_month_cents, struct ratio parts, struct ratio *out);

#endif
