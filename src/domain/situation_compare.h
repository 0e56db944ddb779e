/* "Vérifier la situation": what the CAF / MSA (API Particulier) and the
 * DGFiP (API Impôt particulier) say of a household, side by side with the
 * household as declared in Cassis, and the discrepancies between them.
 * Pure: no I/O, no clock.
 *
 * caf: the minimised API Particulier data (particulier.h), NULL when that
 * consultation failed; dgfip: the minimised API Impôt particulier data
 * (impots.h ip_parse_situation), NULL when it failed. A key absent from
 * either (scope not granted) leaves that part uncompared.
 * members: the current members of the household [{relation, ...}];
 * address: the declared address {adresse, code_postal, commune} or NULL.
 *
 * Result (new object):
 * {"qf_fiscal": {"calcule": bool, "valeur": "883.33" (euros, 2 decimals,
 *     half-up), "valeur_fr": "883,33 €", "exact": "2650/3", "rfr": int,
 *     "parts": "2.5", "formule": "48 583 € / 12 / 2,5 parts",
 *     "message": French (when not computed)},
 *  "enfants": {"declares": n, "caf": n | null, "dgfip": n | null,
 *     "statut": "ok" | "difference" | "non_compare", "message": French},
 *  "situation_famille": {"dgfip": label | null, "dgfip_code": "M" | null,
 *     "caf": "en couple" | "seul(e)" | null, "foyer": "en couple" |
 *     "seul(e)", "statut", "message"},
 *  "adresses": {"declaree": text, "caf": text | null, "dgfip": text | null,
 *     "caf_identique": bool | null, "dgfip_identique": bool | null,
 *     "caf_dgfip_identique": bool | null, "statut", "message"},
 *  "differences": n}   (parts whose statut is "difference")
 *
 * Counting the children: declared = members of relation "enfant" or
 * "personne_a_charge"; CAF = its list "enfants"; DGFiP = the personnes à
 * charge (pac.nbPac: children in full or alternating charge, adult
 * children attached, invalid persons living in the home). Any two known
 * counts that differ make a difference.
 *
 * Situation de famille: the DGFiP's M (marié) and O (pacsé) mean a couple,
 * C, D, V a person filing alone; the CAF lists one or two allocataires;
 * the declared household is a couple when it has a member "conjoint".
 * A couple on one side and a single person on the other is a difference
 * (an unmarried couple files two returns: the message says so).
 *
 * Addresses are the same by the rule of caf_compare.h (postal code, then
 * the street line, La Poste abbreviations expanded). */
#ifndef CAS_DOMAIN_SITUATION_COMPARE_H
#define CAS_DOMAIN_SITUATION_COMPARE_H
#include <jansson.h>

json_t *situation_compare(const json_t *caf, const json_t *dgfip, const json_t *members,
                          const json_t *address);

/* The monthly fiscal QF of dgfip (rfr / 12 / nombre_parts), the
 * "qf_fiscal" part above. New object. */
json_t *situation_qf_fiscal(const json_t *dgfip);

#endif
