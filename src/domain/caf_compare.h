/* The household known to the CAF / MSA (the minimised answer of an API
 * Particulier consultation) next to the household declared in Cassis: who
 * matches whom, the children missing on either side, the other address.
 * Pure: no I/O, no clock.
 *
 * caf: the minimised data, {"allocataires": [...], "enfants": [...],
 * "adresse": {...}}; each key may be absent (scope not granted): that part
 * is then not compared. A CAF person: {nom_naissance, nom_usage, prenoms
 * (space-separated), date_naissance ("YYYY-MM-DD", "YYYY-MM", "YYYY" or
 * null), sexe}.
 *
 * members: the current members of the household, [{person_id, relation,
 * nom_naissance, nom_usage, prenom1, prenom2, prenom3, sexe,
 * date_naissance (storage form "1985-03-00")}].
 *
 * address: the declared address {adresse, code_postal, commune} (the
 * demandeur's), or NULL.
 *
 * A CAF person matches a member when the first prénoms are the same
 * (accents and case aside), a name of each side agrees (nom de naissance
 * or d'usage, equal once folded or with the same phonetic key) and the
 * known parts of the birth dates are equal. Each member matches at most
 * one CAF person; allocataires are matched first, then children.
 *
 * Addresses are the same when the postal codes are equal and the CAF's
 * street line (La Poste abbreviations expanded: AV, BD, PL, CHE, IMP...)
 * appears, folded, in the declared address; with no street line at the
 * CAF, when the postal code and the town are equal.
 *
 * Result (new object):
 * {"allocataires": {"compare": bool, "lignes": [{caf person with "libelle"
 *     and "naissance_fr", "person_id": id or null, "membre": the member
 *     matched or null, "statut": "ok" | "absent"}], "en_plus": [member]},  (declared demandeur / conjoint
 *     the CAF does not list)
 *  "enfants": {"compare": bool, "lignes": [{..., "index": i in enfants,
 *     "statut": "ok" | "manquant"}], "en_plus": [member]},  (declared
 *     children, relation "enfant", the CAF does not list)
 *  "adresse": {"compare": bool, "caf": text, "declaree": text,
 *     "identique": bool},
 *  "enfants_manquants": n, "differences": n}
 * member copies carry "libelle" and "naissance_fr". */
#ifndef CAS_DOMAIN_CAF_COMPARE_H
#define CAS_DOMAIN_CAF_COMPARE_H
#include <jansson.h>

json_t *caf_compare(const json_t *caf, const json_t *members, const json_t *address);

/* "JEAN-PIERRE" -> "Jean-Pierre", "D'ARTAGNAN" -> "D'Artagnan": upper case
 * after a space, hyphen or apostrophe, lower case elsewhere (Latin
 * letters). out gets at most outsz - 1 bytes (strlen(in) + 1 suffices). */
void caf_title_case(const char *in, char *out, size_t outsz);

/* The French display of a birth date in any of the forms above
 * ("27/06/1987", "06/1987", "1987"), "inconnue" when s is NULL or
 * unreadable. */
void caf_date_fr(const char *s, char out[16]);

#endif
