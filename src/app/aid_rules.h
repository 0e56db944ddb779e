/* Aid types as data: the descriptive fields of an aid type (legal basis,
 * need, declared fields, documents) and its dated rule versions, written in
 * the rule language of docs/rules.md; import and export of an aid type as
 * one JSON document (the format of examples/aides); the checks of a rule
 * document for the editor.
 *
 * Catalogue mutations need PERM_AIDS_ADMIN and run in one transaction with
 * their audit entry. On invalid input they return CAS_EINVAL with *errors
 * = a new object field -> French message (caller decrefs) and write
 * nothing: in particular a rule document that rule_parse refuses is never
 * stored. Returned objects are new (caller decrefs); NULL with *err on
 * failure (CAS_ENOTFOUND outside the tenant). */
#ifndef CAS_AID_RULES_H
#define CAS_AID_RULES_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* Largest rule document accepted, in bytes of JSON text. */
#define RULE_DOC_MAX (256 * 1024)

/* Where a rule document is wrong. kind "json" (the text is not JSON:
 * line and column in the text) or "regle" (rule_parse refused it: path in
 * the document, line and column inside the expression at path, 0 when the
 * error is not inside an expression). message: the French reason;
 * text: the whole French sentence shown to the user, position included. */
struct rule_problem {
	char kind[8];
	char path[128];
	int line, column;
	char message[256];
	char text[512];
};

/* Parses and checks a rule document given as JSON text (size, JSON
 * syntax, an object, rule_parse). 0 and *doc = the parsed document without
 * the version keys "du", "au", "statut" (new reference, may be NULL when
 * not wanted), or CAS_EINVAL with *p filled. Pure: no database. */
int rule_document_check(const char *text, json_t **doc, struct rule_problem *p);
/* The same for an already parsed document. */
int rule_document_check_json(const json_t *doc, struct rule_problem *p);
/* {"kind","path","line","column","message","text"} for the API and the
 * editor (new object). */
json_t *rule_problem_json(const struct rule_problem *p);

/* The aid type with everything the catalogue pages show:
 * {id, code, label, description, active, deliberation_numero,
 * deliberation_date, categorie, categorie_label, champs_declares: [names],
 * pieces: [labels], versions: [{id, numero, du, au, status, status_label,
 * note, created_by_label, created_at, uses}]}. For PERM_AIDS_ADMIN. */
json_t *aid_rules_get(struct db *db, const struct actor *who, int64_t id, int *err);

/* in: {code (creation only), label, description, deliberation_numero,
 * deliberation_date ("YYYY-MM-DD" or "JJ/MM/AAAA", optional), categorie
 * (a code of aid_categories(), optional), champs_declares and pieces (one
 * per line, or JSON arrays of strings)}. */
int aid_rules_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                     json_t **errors);
int aid_rules_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors);

/* The needs an aid may meet: [{code, label}] (new array). */
json_t *aid_categories(void);

/* One version with its document: the columns of aid_rules_get's versions
 * plus aid_type_id, document (JSON text, indented) and editable (true for
 * a brouillon). */
json_t *rule_version_get(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                         int *err);

/* in: {du, au (optional), document (JSON text, or a JSON object from the
 * API), note (optional)}. A new version is a brouillon. Errors on
 * "document" carry the position; *problem (may be NULL) receives it. */
int rule_version_create(struct db *db, const struct actor *who, int64_t aid_id, json_t *in,
                        int64_t *vid, json_t **errors, struct rule_problem *problem);
/* Replaces a brouillon's fields (CAS_ECONFLICT for another status). */
int rule_version_update(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                        json_t *in, json_t **errors, struct rule_problem *problem);
/* Puts a brouillon (or a retired version) in force. Refused (CAS_EINVAL,
 * error on "du") when its period meets the period of another active
 * version of the aid type: close that one first. */
int rule_version_activate(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                          json_t **errors);
/* Sets the last day of an active version (in: {au}: "" reopens it). */
int rule_version_close(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                       json_t *in, json_t **errors);
/* Withdraws an active version (or a brouillon): never chosen again for a
 * dossier; evaluations made with it keep it. */
int rule_version_retire(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid);

/* The aid type as an importable document: {"code", "libelle",
 * "description", "deliberation": {"numero", "date"}, "categorie",
 * "champs_declares", "pieces", "versions": [{"du", "au", "statut",
 * ...rule document}]} (versions oldest first). */
json_t *aid_rules_export(struct db *db, const struct actor *who, int64_t id, int *err);

/* Creates an aid type and its versions from such a document (versions
 * keep their "statut", actif by default). A taken code is an error on
 * "code". Errors on a version are keyed "versions/N/..." and tell the
 * position in the rule. */
int aid_rules_import(struct db *db, const struct actor *who, const json_t *doc, int64_t *id,
                     json_t **errors);

/* The CCAS's CAF parts table (domain/caf_qf.h) as indented JSON text, or
 * NULL with *err 0 for the CNAF table; the caller frees with free(). For
 * PERM_AIDS_ADMIN. */
char *caf_parts_get(struct db *db, const struct actor *who, int *err);
/* Replaces it ("" restores the CNAF table). CAS_EINVAL with *errors
 * {"caf_parts": French reason} for a table caf_qf.h refuses. */
int caf_parts_set(struct db *db, const struct actor *who, const char *text, json_t **errors);

/* A full date typed by a user ("2026-01-31", "31/01/2026") as ISO into
 * out: 0, or CAS_EINVAL (partial or invalid date). */
int aid_date_iso(const char *s, char out[11]);

/* French label of a version status code ("Brouillon", "En vigueur",
 * "Retirée"); "" for an unknown code. Static string. */
const char *rule_status_label(const char *status);

#endif
