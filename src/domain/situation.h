/* A household's situation (the input of a simulation or of a dossier's
 * evaluation) and the variables it yields for the rules.
 *
 * Situation, a JSON object; every key is optional (documented for users in
 * docs/rules.md, section "Situation"):
 *
 *   "date"                  "AAAA-MM-JJ": evaluation date, used when the
 *                           date argument of situation_vars() is NULL
 *   "situation_familiale"   "celibataire" | "marie" | "pacse" | "concubinage"
 *                           | "divorce" | "separe" | "veuf"
 *   "personnes"             array of objects:
 *       "role"              required: "demandeur" (at most one; without
 *                           one the first person is the applicant),
 *                           "conjoint" (at most one), "enfant",
 *                           "personne_a_charge", "autre"
 *       "date_naissance"    full or partial date ("1985-03-12", "1985-03",
 *                           "1985", "12/03/1985"), see pdate.h
 *       "age"               whole years, when the birth date is unknown
 *       "a_charge"          bool, a dependant (fiscal and CAF); default true
 *                           for "enfant" and "personne_a_charge"
 *       "garde_alternee"    bool, child in alternating residence
 *       "invalidite"        bool, carte d'invalidité / CMI-invalidité
 *       "aeeh"              bool, child giving right to the AEEH
 *       "ancien_combattant" bool, carte du combattant or military
 *                           invalidity pension (boxes W / S)
 *   "cases_fiscales"        object of box letter -> bool, overriding what is
 *                           derived from the persons: "T" parent isolé, "L"
 *                           (also "E", "K") raised a child alone, "N", "P",
 *                           "F", "W", "S", "G" (veuve de guerre)
 *   "ressources"            monthly total as an amount, or an object
 *                           {"mensuelles": amount, "annuelles": amount,
 *                            "lignes": [{"type": "salaire", "montant": amount}]}
 *                           (lines are monthly; "mensuelles" wins over them;
 *                           "annuelles" are the annual taxable resources of
 *                           the CAF QF)
 *   "prestations_familiales_mois"  amount, monthly family benefits (CAF QF)
 *   "charges"               monthly total as an amount, or
 *                           {"mensuelles": amount, "lignes": [...]}
 *   "rfr"                   amount, revenu fiscal de référence (annual)
 *   "parts_fiscales"        decimal, overrides the computed fiscal parts
 *   "qf_caf"                amount, the QF certified by the CAF/MSA:
 *                           overrides the computed one
 *   "commune_residence"     code commune INSEE (COG)
 *   "statuts"               array of "rsa", "aah", "ass", "aspa", "asi",
 *                           "css" (complémentaire santé solidaire, also
 *                           "cmu_c"), "prime_activite", "demandeur_emploi",
 *                           "etudiant", "retraite", "apl"
 *   "montant_demande"       amount asked for
 *   "variables"             object of extra declared variables (name ->
 *                           string, bool or number), copied as they are
 *                           unless they collide with a computed name
 *
 * An amount is a JSON number or a decimal string with at most two decimals
 * ("1234.56", "1234,56", "1 234,56"), in euros, not negative.
 *
 * Variables (vars, a new JSON object). Exact numbers are strings in the
 * canonical exact form of ratio.h ("883.33" is never a rounded value:
 * "2650/3" is the exact 883.333...; parse with ratio_parse()); counts and
 * ages are JSON integers; flags are JSON booleans; codes are strings. A
 * variable that cannot be computed is absent. See situation_var_list().
 */
#ifndef CAS_DOMAIN_SITUATION_H
#define CAS_DOMAIN_SITUATION_H
#include <stddef.h>
#include <jansson.h>

enum situation_var_type {
	SVAR_NUMBER,  /* exact decimal string (ratio.h canonical form) */
	SVAR_INTEGER, /* JSON integer */
	SVAR_BOOL,    /* JSON true/false */
	SVAR_STRING,  /* JSON string */
};

struct situation_var {
	const char *name; /* "qf_caf" */
	enum situation_var_type type;
	const char *label; /* French: "Quotient familial CAF (€/mois)" */
};

/* The variables situation_vars() may produce, in display order. Static. */
const struct situation_var *situation_var_list(size_t *n);
/* The entry for name, or NULL. */
const struct situation_var *situation_var_find(const char *name);

/* Computes the variables of a situation.
 *   parts_table: CAF parts table (see caf_qf.h), NULL = the CNAF table;
 *   date: "AAAA-MM-JJ" for ages, NULL = situation's "date" (ages from birth
 *         dates are absent when there is neither).
 * Returns 0 with *vars a new object (caller decrefs) and *errors NULL, or
 * CAS_EINVAL with *vars NULL and *errors a new object of field -> French
 * message (fields are paths such as "personnes[1].date_naissance",
 * "ressources.mensuelles"). */
int situation_vars(const json_t *situation, const json_t *parts_table, const char *date,
                   json_t **vars, json_t **errors);

#endif
