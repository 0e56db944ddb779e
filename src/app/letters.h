/* Letters (courriers) of a dossier, generated as PDF (base/pdf.h) with the
 * CCAS's letterhead from per-CCAS letter templates, and stored with the
 * dossier: the exact PDF bytes are kept, so a reprint is identical.
 *
 * Kinds (stored codes): accuse_reception, demande_pieces,
 * notification_accord, notification_refus, notification_ajournement.
 * Each kind has a default template shipped in the binary
 * (templates/letters/<kind>.txt) that the administrateur may replace for
 * the CCAS; "voies_recours" is the paragraph on the délais et voies de
 * recours appended to every refusal, ajournement, accusé de réception and
 * agreement for less than was asked (it must name the tribunal
 * administratif and the two-month delay).
 *
 * Template language: the Mustache subset of base/tmpl.h (values are NOT
 * HTML-escaped here: the output is text), then one block per paragraph:
 *   # Titre          the letter's title (object)
 *   ## Intertitre    a section heading
 *   - élément        a bullet
 *   ~ texte          small print (legal mentions)
 *   > texte          right-aligned (the signature)
 *   other lines      a paragraph; the line breaks typed are kept
 *   blank line       ends a paragraph
 * Variables: see letters_variables() (the admin page lists them).
 *
 * Every mutation checks its permission (app/perm.h), writes nothing when
 * the input is invalid (CAS_EINVAL with *errors = a new object field ->
 * French message, caller decrefs) and writes its audit entry; generating a
 * letter also writes a timeline event on the dossier. */
#ifndef CAS_LETTERS_H
#define CAS_LETTERS_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

/* The kinds of letter, in display order, and the template kinds (the
 * letters plus "voies_recours"). */
extern const char *const letter_kinds[];     /* NULL-terminated */
extern const char *const letter_templates[]; /* NULL-terminated */
/* French label of a kind or template kind ("Accusé de réception"...);
 * NULL when unknown. */
const char *letter_kind_label(const char *kind);

/* params (a JSON object; NULL = none), per kind:
 *   demande_pieces       "pieces": array of strings, or one string with one
 *                        piece per line (required, helper of the documents
 *                        module gives the list); "date_limite" YYYY-MM-DD
 *                        (default: today + the CCAS's delai_pieces days, 30
 *                        when unset); "motif": free precisions (optional)
 *   notification_accord  "montant" ("150" / "1 234,56") or
 *                        "montant_centimes" (default: the amount granted);
 *                        "beneficiaire" (payee; default: the applicant);
 *                        "modalites" (terms; default: a transfer)
 *   notification_refus / notification_ajournement
 *                        "motif" (default: the decision's motive; required)
 * A kind must fit the dossier's state (letters_allowed_kinds). The letter's
 * date is today (clock_now(), Paris). *letter_id receives the new id.
 * Returns 0, CAS_EPERM, CAS_ENOTFOUND (dossier outside the tenant),
 * CAS_EINVAL (+ *errors: "kind", "pieces", "date_limite", "montant",
 * "motif", "template"), CAS_EIO (PDF failure), or a database error. */
int letters_generate(struct db *db, const struct actor *who, int64_t dossier_id, const char *kind,
                     const json_t *params, int64_t *letter_id, json_t **errors);
/* The same inside the caller's open transaction (nothing is written by
 * this call when it fails; the caller rolls back or commits). */
int letters_generate_in(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *kind, const json_t *params, int64_t *letter_id,
                        json_t **errors);

/* Hook for app/workflow.c, called inside the transition's transaction once
 * the dossier is in state to_state: produces the accusé de réception on
 * "depose" and the notification (accord / refus / ajournement, by the
 * decision) on "notifie"; nothing for other states or a "sans_suite"
 * decision. The transition's permission covers it (no letter permission is
 * checked). 0 or an error (the caller rolls back). */
int letters_on_transition(struct db *db, const struct actor *who, int64_t dossier_id,
                          const char *to_state);

/* The kinds the dossier's state allows, as [{kind, label}] (new array);
 * NULL with *err. Needs the generation permission (else an empty array). */
json_t *letters_allowed_kinds(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

/* What the form preparing a letter of kind needs: {dossier_id, numero,
 * aide, demandeur, kind, label, delai_pieces, defaults: {motif, montant
 * ("150,00", "" when none), beneficiaire, modalites}} (new object). NULL
 * with *err: CAS_EPERM, CAS_ENOTFOUND, or CAS_EINVAL with *errors.kind when
 * the kind is unknown or does not fit the dossier's state. */
json_t *letters_prepare(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *kind, int *err, json_t **errors);

/* The dossier's letters, oldest first: [{id, kind, label, numero, titre,
 * pdf_size, pdf_sha256, created_at, created_by_label}] (new array), NULL
 * with *err (CAS_EPERM, CAS_ENOTFOUND). */
json_t *letters_list(struct db *db, const struct actor *who, int64_t dossier_id, int *err);

/* The exact bytes of letter letter_id of the dossier: *pdf malloc'ed
 * (caller frees), *len bytes, *filename a suggested ASCII file name
 * ("courrier-2025-00042-3-accuse_reception.pdf", malloc'ed, caller frees).
 * Recorded in the audit ("impression"). 0, CAS_EPERM, CAS_ENOTFOUND. */
int letters_pdf(struct db *db, const struct actor *who, int64_t dossier_id, int64_t letter_id,
                unsigned char **pdf, size_t *len, char **filename);

/* One letter of the dossier as a row of letters_list, plus "pdf_base64":
 * the exact bytes of its PDF in base64 (new object). Recorded in the audit
 * as letters_pdf. NULL with *err: CAS_EPERM, CAS_ENOTFOUND. */
json_t *letters_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t letter_id,
                    int *err);

/* --- templates and letterhead (administrateur) --- */

/* [{kind, label, body, default_body, custom (bool), updated_at}] for every
 * template kind (new array), NULL with *err (CAS_EPERM). */
json_t *letters_templates(struct db *db, const struct actor *who, int *err);
/* The default text of a template kind (static, NUL-terminated), NULL when
 * unknown. */
const char *letters_default_template(const char *kind);
/* in: {body}. Empty body = back to the default. The body must compile
 * (errors.body: the French reason with its line) and stay under 20 000
 * characters; "voies_recours" must mention the tribunal administratif and
 * the "deux mois" delay. */
int letters_template_update(struct db *db, const struct actor *who, const char *kind,
                            const json_t *in, json_t **errors);

/* {adresse, contact, ville, signataire, tribunal} (defaults filled in: empty
 * strings; the effective signataire and tribunal in "signataire_effectif",
 * "tribunal_effectif"); NULL with *err. */
json_t *letters_settings(struct db *db, const struct actor *who, int *err);
/* in: {adresse (lines), contact, ville, signataire, tribunal}: each
 * optional, bounded in length, no control characters but line breaks in
 * adresse. */
int letters_settings_update(struct db *db, const struct actor *who, const json_t *in,
                            json_t **errors);

/* The variables a template may use: [{name, description}] (new array). */
json_t *letters_variables(void);

/* A sample letter of kind (or template kind) with the CCAS's letterhead and
 * the given template body (NULL = the CCAS's current one) on made-up data,
 * for the preview on the templates page. Nothing stored. */
int letters_preview(struct db *db, const struct actor *who, const char *kind, const char *body,
                    unsigned char **pdf, size_t *len, json_t **errors);

#endif
