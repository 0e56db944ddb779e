/* Shared by evaluate.c, situation_build.c and simulate.c only. */
#ifndef CAS_EVALUATE_INTERNAL_H
#define CAS_EVALUATE_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* A dossier's situation and where its data come from (owned). */
struct built {
	json_t *situation; /* domain/situation.h */
	json_t *origins;   /* situation key -> "certifie" | "declare" | "deduit" */
	json_t *sources;   /* [{donnee, libelle, origine, detail}] */
};

/* Builds the situation of the dossier row (dossier_store_get) at date
 * (ISO). 0, or a store error (b is then empty). */
int situation_build(struct db *db, int64_t tenant, json_t *dossier, const char *date,
                    struct built *b);
void built_free(struct built *b);

/* The whole computation, pure: situation -> variables (with the CAF
 * parts table, NULL = CNAF) -> rule. 0 with *vars and *result new
 * objects; CAS_EINVAL with *errors (situation field -> French message, or
 * "regle" -> message when the document does not parse). */
int rule_run(const json_t *rule_doc, const json_t *situation, const json_t *parts, const char *date,
             json_t **vars, json_t **result, json_t **errors);

/* The tenant's CAF parts table (new reference) or NULL for the CNAF one. */
json_t *tenant_caf_parts(struct db *db, int64_t tenant);

#endif
