/* Rule engine: a rule version of an aid type (eligibility conditions, an
 * amount, rate or tariff expression, named grids) parsed from a JSON
 * document and evaluated over named variables (see situation.h).
 *
 * The document format and the expression language are described in
 * docs/rules.md. Short version of a rule document:
 *
 *   {"variables": {"niveau": {"type": "texte", "libelle": "Niveau"}},
 *    "baremes": {"coupon": {"libelle": "Coupon", "unite": "euros",
 *                           "tranches": [{"max": "500", "max_inclus": true,
 *                                         "valeur": "150"}, ...]}},
 *    "calculs": [{"nom": "q", "libelle": "...", "expression": "..."}],
 *    "conditions": [{"libelle": "Résider à Illkirch",
 *                    "expression": "commune_residence dans [\"67218\"]"}],
 *    "taux": "...", "montant": "bareme(\"coupon\", qf_fiscal)" (or "tarif"),
 *    "plafond": {"libelle": "...", "periode": "...", "montant": "...",
 *                "deja_verse": "..."},
 *    "arrondi": {"decimales": 2, "mode": "demi_haut"}}
 *
 * Pure: no I/O, no clock, no global state. Evaluation is bounded (no loops,
 * limits on expression size, nesting and list lengths) and never crashes on
 * any input: every failure becomes a result or an error with a French
 * message. */
#ifndef CAS_DOMAIN_RULES_H
#define CAS_DOMAIN_RULES_H
#include <jansson.h>

/* Limits enforced at parse time. */
#define RULE_MAX_EXPR_BYTES 8192 /* one expression's source text */
#define RULE_MAX_DEPTH      64   /* nesting of sub-expressions */
#define RULE_MAX_NODES      4096 /* nodes in one expression */
#define RULE_MAX_CONDITIONS 64
#define RULE_MAX_GRIDS      32
#define RULE_MAX_BRACKETS   256
#define RULE_MAX_COLUMNS    32
#define RULE_MAX_LIST       1024 /* elements of a [ ... ] literal */

/* a parsed rule version (conditions, amount, grids); opaque */
struct rule;

/* Where and why a rule document is invalid. path is a JSON-pointer-like
 * location in the document ("/conditions/0/expression", "/baremes/qf/
 * tranches/2/max"), line and column are 1-based positions inside the
 * expression text (0 when the error is not inside an expression), message
 * is a French sentence. */
struct rule_error {
	char path[128];
	int line, column;
	char message[256];
};

/* Parses a rule document (a bare rule document, or a rule version object
 * carrying "du"/"au" besides the rule keys, which are ignored here).
 * Every expression is parsed and type-checked against the grids it names.
 * Returns a new rule (free with rule_free) or NULL with *err filled (err
 * may be NULL). */
struct rule *rule_parse(const json_t *doc, struct rule_error *err);

/* Evaluates the rule over vars (JSON object: name → number, decimal string
 * such as "883.33" or "2650/3", string, boolean; absent or null = unknown).
 * *result is a new JSON object (caller decrefs):
 *   {"issue": "eligible" | "non_eligible" | "indetermine",
 *    "nature": "montant" | "tarif" | "taux" | "eligibilite",
 *    "montant_centimes": int (eligible with a montant or tarif) | null,
 *    "taux": "40" (exact decimal string; only when the rule has a taux),
 *    "manquants": [names of the missing variables, when indetermine],
 *    "erreur": "French message" (only when an evaluation error, such as a
 *              division by zero or a value outside every bracket, left the
 *              result indetermine),
 *    "explication": {
 *      "conditions": [{"libelle", "expression", "valeurs": {name: value},
 *                      "resultat": true | false | null,
 *                      "manquants"?, "erreur"?}],
 *      "calculs": [{"nom", "libelle", "expression", "valeur", "erreur"?}],
 *      "bareme": the first grid lookup | null,
 *      "baremes": [{"bareme", "libelle", "valeur", "colonne", "tranche",
 *                   "tranche_texte", "tranche_libelle", "resultat",
 *                   "unite"}],
 *      "formule": "montant_demande * t / 100 = 300 * 40 / 100 = 120" | null,
 *      "plafond": {"libelle", "periode", "plafond", "deja_verse",
 *                  "disponible_centimes", "applique"} | null,
 *      "texte": ["French sentence", ...]}}
 * Values in "valeurs", "valeur", "resultat", "plafond" are exact: numbers
 * as decimal strings (or "num/den"), texts, booleans, null when unknown.
 * Returns 0, CAS_EINVAL when r or result is NULL, CAS_ENOMEM. */
int rule_eval(const struct rule *r, const json_t *vars, json_t **result);

void rule_free(struct rule *r);

/* Checks one expression on its own (for an editor's live validation):
 * returns 0, or CAS_EINVAL with *err filled (path left empty). grids may
 * be NULL (then bareme() names are not checked). */
int rule_check_expression(const char *text, const json_t *grids, struct rule_error *err);

/* The variables an evaluation of r may read, as a new JSON array of
 * names, sorted (caller decrefs). */
json_t *rule_variables(const struct rule *r);

/* What an evaluation of r may read, for a form or a tester pane: a new
 * JSON array (caller decrefs), the declared variables first, in document
 * order, then the computed variables read, sorted:
 *   [{"nom", "type": "nombre"|"texte"|"booleen", "libelle",
 *     "declaree": true|false, "valeurs": [permitted texts] (when given)}] */
json_t *rule_inputs(const struct rule *r);

/* Picks, among the "versions" array of an aid type document, the version
 * in force at date (YYYY-MM-DD): du <= date and (au null/absent or
 * date <= au). Returns a borrowed reference or NULL when none applies. */
const json_t *rule_version_at(const json_t *versions, const char *date);

#endif
