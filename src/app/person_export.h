/* Rights of the person (RGPD articles 15 to 17): the export of everything
 * the CCAS holds on a person (droit d'accès), as one JSON document and as
 * a readable PDF, and the erasure of a person where the law allows it.
 * Rectification goes through the person's ordinary form (app/persons.h),
 * audited as "modification".
 *
 * The JSON document (docs/privacy.md, "Droits des personnes", describes
 * every key): {format: "cassis-export-personne", version: 1, genere_le,
 * genere_par, ccas: {nom, siret}, personne: {...}, foyers: [...],
 * comptes_bancaires: [...], dossiers: [{..., lignes, notes, historique,
 * evaluations, commission, courriers, pieces, demandes_pieces, paiements,
 * consultations, verifications}], journal_acces: [...], journal_audit:
 * [...]}. Timestamps are RFC 3339 (UTC) strings, amounts integer cents,
 * dates "YYYY-MM-DD". The person's own IBANs are given in full; a third
 * party's (a landlord paid in their place) masked.
 *
 * Permissions: PERM_PERSON_EXPORT and PERM_PERSON_ERASE (app/perm.c: the
 * administrateur, who answers the requests of the persons for the CCAS,
 * and the command line). */
#ifndef CAS_PERSON_EXPORT_H
#define CAS_PERSON_EXPORT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

/* Where each table holding data about a person goes in the export: table
 * name and the JSON path of its rows ("dossiers[].lignes"). Ends with a
 * NULL table. The unit test compares it with the schema. */
struct person_export_table {
	const char *table;
	const char *path;
};
extern const struct person_export_table person_export_tables[];

enum person_export_format { PERSON_EXPORT_JSON, PERSON_EXPORT_PDF };

/* The export of person id: a new JSON document (*doc, caller decrefs).
 * format tells the audit entry ("export_donnees", with the format) which
 * form is handed out; the read is recorded in the access log. 0,
 * CAS_EPERM, CAS_ENOTFOUND (not in the actor's tenant), or an error. */
int person_export(struct db *db, const struct actor *who, int64_t id,
                  enum person_export_format format, json_t **doc);

/* The PDF of an export document (doc borrowed): *pdf malloc'ed (caller
 * frees), *len bytes, French, with the CCAS's letterhead. 0 or CAS_EIO. */
int person_export_pdf(struct db *db, const struct actor *who, const json_t *doc,
                      unsigned char **pdf, size_t *len);

/* Why the person cannot be erased: a new French string (caller frees with
 * free), e.g. "La personne est demandeuse du dossier 2026-00012, conservé
 * jusqu'au 15/03/2028 (obligation légale de conservation).", reasons
 * separated by a space; NULL when nothing keeps them (*err 0) or on error
 * (*err: CAS_EPERM, CAS_ENOTFOUND, ...). PERM_PERSON_ERASE. */
char *person_erase_refusal(struct db *db, const struct actor *who, int64_t id, int *err);

/* Erases the person: their memberships of households, their bank details
 * not used by a payment, the households left empty, the person; the
 * audit entries about them are redacted ("[effacé]", the chain still
 * verifies) and one entry "effacement" records the counts. When something
 * keeps them, nothing is erased: CAS_ECONFLICT with *reason (a new string,
 * caller frees) as person_erase_refusal, and the refusal is audited
 * ("effacement_refuse", with the reason). 0, CAS_EPERM, CAS_ENOTFOUND, or
 * an error. */
int person_erase(struct db *db, const struct actor *who, int64_t id, char **reason);

#endif
