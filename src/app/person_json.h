/* A person in the shape of the JSON API, and back:
 *   {id, nom_naissance, nom_usage, prenoms: ["Jean", "Pierre"], sexe,
 *    date_naissance: "1985-03-00", lieu_naissance: {type: "commune" |
 *    "etranger", code}, nationalite, telephone, email, adresse,
 *    code_postal, commune, created_at, updated_at}
 * with timestamps in RFC 3339 (UTC). Input has the same shape without id
 * and timestamps; every field is optional in a partial update. Pure
 * conversions: no I/O. */
#ifndef CAS_PERSON_JSON_H
#define CAS_PERSON_JSON_H
#include <jansson.h>

/* person: as returned by person_get (borrowed). New object. */
json_t *person_json_out(json_t *person);

/* The input of persons.h (object of strings, "" for a missing value) holding
 * a stored person's values (borrowed). New object. */
json_t *person_json_input_of(json_t *person);

/* Reads an API body (borrowed) into the input of persons.h. base: the
 * current input for a partial update, whose fields absent from body are
 * kept; NULL for a creation. Returns a new object, or NULL with *errors =
 * a new object API field -> French message for unknown fields and wrong
 * types. */
json_t *person_json_in(json_t *body, json_t *base, json_t **errors);

/* Form errors of persons.h renamed to API fields ("prenom2" ->
 * "prenoms[1]", "lieu_type" -> "lieu_naissance.type", "commune_naissance"
 * and "pays_naissance" -> "lieu_naissance.code"). New object. */
json_t *person_json_errors(json_t *form_errors);

#endif
