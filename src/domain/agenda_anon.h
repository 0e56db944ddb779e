/* The anonymised agenda of the commission: what the elected members read
 * about each dossier, without being told who the household is.
 *
 * Built by whitelist: the output is made of new values computed from the
 * input, never of copied input objects, so a field added to the input one
 * day does not reach the output. Kept: the dossier number and aid, the
 * amount asked, the household composition as counts and age bands, the
 * resource indicators (QF band, monthly resources, charges and reste à
 * vivre, reste à vivre per day and person), the proposal with its amount
 * and the rule's explanation. Free text (the motif, the agent's
 * assessment, the explanation lines) goes through domain/redact.h with
 * the names, address words and contact details of every person given.
 * Never in the output: names, birth dates, address, telephone, e-mail,
 * the household label. Pure: no I/O, no clock. */
#ifndef CAS_DOMAIN_AGENDA_ANON_H
#define CAS_DOMAIN_AGENDA_ANON_H
#include <jansson.h>

/* in (borrowed): {
 *   "numero": "2026-00012", "aide": "Aide alimentaire",
 *   "montant_demande": cents, "motif": free text,
 *   "a_rapporter": bool (emergency aid already decided, reported),
 *   "personnes": [{"relation", "date_naissance" ("1984-03-12",
 *        "1984-00-00"), "nom_naissance", "nom_usage", "prenom1",
 *        "prenom2", "prenom3", "adresse", "code_postal", "commune",
 *        "telephone", "email", "ancien": true for a former member (not
 *        counted in the composition, but hidden from the free text)}],
 *   "ressources", "charges": monthly cents (absent: unknown),
 *   "variables": the rule variables of the evaluation (qf_caf,
 *        reste_a_vivre_jour_personne ...; numbers or decimal strings),
 *   "qf_certifie": bool,
 *   "proposition": {"proposition": accord | refus | ajournement,
 *        "montant": cents | null, "appreciation": free text,
 *        "explication": [French lines]} or null,
 *   "decision": {"decision": accorde | refuse | ajourne | sans_suite,
 *        "montant": cents | null, "motif": free text, "vote": free text}
 *        or null }
 * on: "YYYY-MM-DD", the date the ages are computed at (the session's).
 *
 * Returns a new object (caller decrefs): {
 *   "numero", "aide", "montant_demande" (cents), "montant_demande_fr",
 *   "motif", "a_rapporter",
 *   "composition": {"personnes", "adultes", "enfants" (counts),
 *        "resume" ("2 adultes et 3 enfants"),
 *        "membres": [{"role", "tranche_age"}]},
 *   "indicateurs": {"qf_tranche", "qf_origine", "ressources_fr",
 *        "charges_fr", "reste_a_vivre_fr", "rav_jour_personne_fr"}
 *        (absent keys: unknown),
 *   "proposition": {"code", "label", "montant", "montant_fr",
 *        "appreciation", "explication": [lines]} (absent: none),
 *   "decision": {"code", "label", "montant", "montant_fr", "motif", "vote"}
 *        (absent: none) } */
json_t *agenda_anon_item(const json_t *in, const char *on);

/* The band of a quotient familial in whole euros: "moins de 400 €",
 * "400 à 599 €" ... "1 200 € et plus". Static string. */
const char *agenda_qf_band(long long qf_euros);

/* The age band of an age in whole years (-1: unknown): "moins de 3 ans",
 * "3 à 5 ans" ... "75 ans et plus", "âge inconnu". Static string. */
const char *agenda_age_band(int age);

/* French labels of the proposal and decision codes (domain/dossier.h);
 * NULL when unknown. */
const char *agenda_proposal_label(const char *code);
const char *agenda_decision_label(const char *code);

#endif
