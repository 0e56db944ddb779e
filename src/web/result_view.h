/* The result of a rule evaluation (domain/rules.h) shaped for the
 * templates (templates/evaluations/result.html) and the tester pane's
 * script: French labels, amounts formatted, values as text. */
#ifndef CAS_RESULT_VIEW_H
#define CAS_RESULT_VIEW_H
#include <jansson.h>

/* {issue, issue_label, issue_class, has_montant, montant_fr, taux_fr,
 * erreur, manquants: [{name, label}], conditions: [{libelle, expression,
 * valeurs, resultat_label, ok}], baremes: [{texte}], formule, texte: [..],
 * calculs: [{libelle, expression, valeur}], has_manquants, has_conditions,
 * has_baremes, has_texte, has_calculs}
 * from a result (borrowed). New object. */
json_t *result_view(const json_t *result);

/* The variables as [{name, label, value, origine, origine_label}] in the
 * display order of situation.h, from vars and origines (name ->
 * "certifie"|"declare"|"deduit"; may be NULL). New array. */
json_t *variables_view(const json_t *vars, const json_t *origines);

/* "Certifiée (État)", "Déclarée", "Déduite" for an origin code. Static. */
const char *origin_label(const char *origin);

#endif
