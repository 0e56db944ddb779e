/* Simulations: a household's situation (domain/situation.h) through the
 * rules of an aid of the catalogue (the version in force at the date) or
 * through an inline rule document; nothing is stored. For the API
 * (POST /api/v1/simulations), the command line (cassis simulate --aid) and
 * the tester pane of the rule editor. */
#ifndef CAS_SIMULATE_H
#define CAS_SIMULATE_H
#include <jansson.h>

#include "app/aid_rules.h"

struct actor;
struct db;

/* in: {"aide_code": code (an aid of the actor's catalogue) or "regle": a
 * rule document (object), "situation": object, "date": "YYYY-MM-DD"
 * (optional: the situation's "date", else today in Paris)}.
 * 0 with *out a new object: the rule engine's result (issue,
 * montant_centimes, manquants, explication, taux?, erreur?) plus "date",
 * "aide" ({code, libelle} or null), "version" ({numero, du, au} or null)
 * and "variables". CAS_EINVAL with *errors (field -> French message;
 * situation errors keyed "situation.<path>"), and *problem filled when the
 * inline rule is refused (problem may be NULL). CAS_EPERM without
 * PERM_SIMULATE. */
int simulation_run(struct db *db, const struct actor *who, json_t *in, json_t **out,
                   json_t **errors, struct rule_problem *problem);

/* The tester pane: the draft document as JSON text, the sample situation
 * as JSON text, the date (ISO or French, may be ""). For PERM_AIDS_ADMIN.
 * Same output; errors on "document" (with *problem), "situation" or
 * "date_test". */
int simulation_test_draft(struct db *db, const struct actor *who, const char *document,
                          const char *situation, const char *date, json_t **out, json_t **errors,
                          struct rule_problem *problem);

#endif
