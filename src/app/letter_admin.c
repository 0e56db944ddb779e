/* The CCAS's letter templates (defaults shipped in the binary, overrides
 * per CCAS), the letterhead settings, the variables and the preview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/letters.h"
#include "app/letters_internal.h"
#include "app/perm.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/embedded.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/letter_store.h"

/* templates/letters/<kind>.txt, embedded at build time (scripts/embed.py) */
extern const struct embedded_file letters_files[];

#define DEFAULT_TRIBUNAL "tribunal administratif territorialement compétent"

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static int template_kind(const char *kind)
{
	for (int i = 0; kind && letter_templates[i]; i++)
		if (strcmp(letter_templates[i], kind) == 0)
			return 1;
	return 0;
}

const char *letters_default_template(const char *kind)
{
	const struct embedded_file *f =
	    template_kind(kind) ? embedded_find(letters_files, kind) : NULL;
	return f ? (const char *)f->data : NULL;
}

char *letter_template_text(struct db *db, int64_t tenant_id, const char *kind, int *err)
{
	json_t *row = letter_store_template(db, tenant_id, kind, err);
	const char *def = letters_default_template(kind);
	char *out;

	if (!row && *err != CAS_ENOTFOUND)
		return NULL;
	*err = 0;
	out = xstrdup(row ? jstr(row, "body") : def ? def : "");
	json_decref(row);
	return out;
}

/* "a\nb" -> "a, b" */
static char *one_line(const char *s)
{
	struct buf b;

	buf_init(&b, 4096);
	for (; *s; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			buf_puts(&b, ", ");
		else
			buf_putc(&b, *s);
	}
	return buf_steal(&b);
}

static void ccas_settings(json_t *ccas, json_t *set)
{
	char *line = one_line(jstr(set, "adresse"));
	char sign[400];

	json_object_set_new(ccas, "adresse", json_string(jstr(set, "adresse")));
	json_object_set_new(ccas, "adresse_ligne", json_string(line));
	free(line);
	json_object_set_new(ccas, "contact", json_string(jstr(set, "contact")));
	json_object_set_new(ccas, "ville", json_string(jstr(set, "ville")));
	snprintf(sign, sizeof sign, "Le Président du %s", jstr(ccas, "nom"));
	json_object_set_new(ccas, "signataire",
	                    json_string(*jstr(set, "signataire") ? jstr(set, "signataire") : sign));
	json_object_set_new(
	    ccas, "tribunal",
	    json_string(*jstr(set, "tribunal") ? jstr(set, "tribunal") : DEFAULT_TRIBUNAL));
}

json_t *letter_ccas(struct db *db, int64_t tenant_id, int *err)
{
	json_t *t = letter_store_tenant(db, tenant_id, err), *set, *ccas;
	char communes[600];
	json_int_t days;

	if (!t)
		return NULL;
	set = letter_store_settings(db, tenant_id, err);
	if (!set && *err != CAS_ENOTFOUND) {
		json_decref(t);
		return NULL;
	}
	*err = 0;
	days = json_integer_value(json_object_get(t, "delai_pieces"));
	ccas = json_pack("{s:s, s:s, s:I}", "nom", jstr(t, "name"), "colour", jstr(t, "colour"),
	                 "delai_pieces", (json_int_t)(days > 0 ? days : 30));
	ccas_settings(ccas, set);
	/* the communes served stand in for an address not yet given */
	snprintf(communes, sizeof communes, "Communes (code INSEE) : %s", jstr(t, "communes"));
	json_object_set_new(ccas, "communes_ligne",
	                    json_string(*jstr(set, "adresse") ? "" : communes));
	json_decref(t);
	json_decref(set);
	return ccas;
}

/* --- sample data: the preview and the checks of a template --- */

/* marked: the texts carry markers that the checks look for. */
static json_t *sample_dossier(const char *kind, int64_t now, int marked)
{
	char today[11];
	const char *decision = strcmp(kind, "notification_accord") == 0        ? "accorde"
	                       : strcmp(kind, "notification_ajournement") == 0 ? "ajourne"
	                                                                       : "refuse";

	paris_date_iso(now, today);
	return json_pack(
	    "{s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:i, s:s, s:I, s:I, s:s, s:s, s:s, s:s, "
	    "s:s, s:s}",
	    "id", 0, "numero", "2025-00001", "state", "decide", "aide", "Aide exemple",
	    "montant_demande", 15000, "motif", "Motif de la demande (exemple)", "depose_le", today,
	    "decision", decision, "montant_accorde", 15000, "motif_decision",
	    marked ? "MOTIF-EXEMPLE" : "les ressources du foyer dépassent le plafond du règlement.",
	    "decided_at", (json_int_t)now, "created_at", (json_int_t)now, "nom_naissance",
	    "Exemple", "prenom1", "Camille", "sexe", "F", "adresse", "1 rue de l'Exemple",
	    "code_postal", "75001", "commune", "Paris");
}

static json_t *sample_params(int marked)
{
	return json_pack("{s:[s, s]}", "pieces",
	                 marked ? "PIECE-EXEMPLE"
	                        : "Justificatif de domicile de moins de trois mois",
	                 "Dernier avis d'imposition");
}

/* What a template must show, checked on its rendering with sample data. */
static const char *missing_mention(const char *kind, const char *text)
{
	if (strcmp(kind, "voies_recours") == 0) {
		if (!strcasestr(text, "tribunal administratif"))
			return "Le texte doit nommer le tribunal administratif, devant lequel le "
			       "recours contentieux est porté.";
		if (!strstr(text, "deux mois"))
			return "Le texte doit indiquer le délai de recours de deux mois.";
	} else if (strncmp(kind, "notification_r", 14) == 0 ||
	           strcmp(kind, "notification_ajournement") == 0) {
		if (!strstr(text, "MOTIF-EXEMPLE"))
			return "Le courrier doit citer le motif de la décision : ajoutez "
			       "{{motif}}.";
	} else if (strcmp(kind, "demande_pieces") == 0) {
		if (!strstr(text, "PIECE-EXEMPLE"))
			return "Le courrier doit lister les pièces demandées : ajoutez "
			       "{{#pieces}}- {{.}}{{/pieces}} (une ligne par pièce).";
	} else if (strcmp(kind, "notification_accord") == 0) {
		if (!strstr(text, "150,00"))
			return "Le courrier doit indiquer le montant accordé : ajoutez "
			       "{{montant}}.";
	}
	return NULL;
}

/* The sample variables of kind, as a letter of that kind would have. */
static json_t *sample_vars(struct db *db, const struct actor *who, const char *kind)
{
	const char *as = strcmp(kind, "voies_recours") == 0 ? "notification_refus" : kind;
	int64_t now = clock_now();
	json_t *d = sample_dossier(as, now, 1), *params = sample_params(1), *data = NULL;
	json_t *errors = NULL, *vars = NULL;
	unsigned char *pdf = NULL;
	size_t len;
	int err;
	json_t *ccas = letter_ccas(db, who->tenant_id, &err);
	static const struct letter_given trivial = {"x", "x"};

	if (ccas && letter_build(db, who, ccas, d, as, params, 1, now, &trivial, &pdf, &len, &data,
	                         &errors) == 0)
		vars = json_incref(json_object_get(data, "variables"));
	free(pdf);
	json_decref(data);
	json_decref(errors);
	json_decref(ccas);
	json_decref(d);
	json_decref(params);
	return vars;
}

/* errors.body when the template does not compile or lacks a mention. */
static void check_body(struct db *db, const struct actor *who, const char *kind, const char *body,
                       json_t *errors)
{
	json_t *vars = sample_vars(db, who, kind);
	char err[300] = "", msg[400], *text = NULL;
	const char *why;

	if (!vars) {
		json_object_set_new(errors, "body",
		                    json_string("Le modèle n'a pas pu être vérifié."));
		return;
	}
	if (letter_text(body, vars, &text, err, sizeof err) != 0) {
		snprintf(msg, sizeof msg, "Le modèle est invalide (%s).", err);
		json_object_set_new(errors, "body", json_string(msg));
	} else if ((why = missing_mention(kind, text)) != NULL) {
		json_object_set_new(errors, "body", json_string(why));
	}
	free(text);
	json_decref(vars);
}

/* --- templates --- */

json_t *letters_templates(struct db *db, const struct actor *who, int *err)
{
	json_t *rows, *out;

	if (!perm_allows(who->role, PERM_LETTER_TEMPLATES) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	rows = letter_store_templates(db, who->tenant_id);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	out = json_array();
	for (int i = 0; letter_templates[i]; i++) {
		const char *k = letter_templates[i], *def = letters_default_template(k);
		json_t *custom = NULL, *r, *o;
		size_t j;
		json_array_foreach(rows, j, r) if (strcmp(jstr(r, "kind"), k) == 0) custom = r;
		o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "kind", k, "label", letter_kind_label(k),
		              "body", custom ? jstr(custom, "body") : def, "default_body", def,
		              "custom", custom != NULL);
		if (custom)
			json_object_set(o, "updated_at", json_object_get(custom, "updated_at"));
		json_array_append_new(out, o);
	}
	json_decref(rows);
	*err = 0;
	return out;
}

/* CRLF -> LF (textarea submissions) */
static char *normalise(const char *s)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	for (; *s; s++)
		if (*s != '\r')
			buf_putc(&b, *s);
	return buf_steal(&b);
}

static int save_template(struct db *db, const struct actor *who, const char *kind, const char *body)
{
	int err;
	char *before = letter_template_text(db, who->tenant_id, kind, &err);
	int64_t removed = 0;
	int rc = before ? 0 : err;

	if (rc == 0)
		rc = *body ? letter_store_template_set(db, who->tenant_id, kind, body, who->user_id,
		                                       clock_now())
		           : letter_store_template_delete(db, who->tenant_id, kind, &removed);
	if (rc == 0)
		rc = audit_write(db, who, *body ? "modele_courrier" : "modele_courrier_defaut",
		                 "tenant", who->tenant_id,
		                 json_pack("{s:[ss], s:[ss]}", "modele", kind, kind, "texte",
		                           before, *body ? body : letters_default_template(kind)));
	free(before);
	return rc;
}

int letters_template_update(struct db *db, const struct actor *who, const char *kind,
                            const json_t *in, json_t **errors)
{
	char *body;
	json_t *errs;
	int rc;

	*errors = NULL;
	if (!perm_allows(who->role, PERM_LETTER_TEMPLATES) || !who->tenant_id)
		return CAS_EPERM;
	if (!template_kind(kind))
		return CAS_ENOTFOUND;
	body = normalise(jstr(in, "body"));
	errs = json_object();
	if (!utf8_valid(body, strlen(body)) || utf8_strlen(body) > LETTER_BODY_MAX)
		json_object_set_new(errs, "body",
		                    json_string("Le modèle tient en 20 000 caractères au plus."));
	else if (*body)
		check_body(db, who, kind, body, errs);
	if (json_object_size(errs)) {
		*errors = errs;
		free(body);
		return CAS_EINVAL;
	}
	json_decref(errs);
	rc = db_begin(db);
	if (rc == 0)
		rc = save_template(db, who, kind, body);
	free(body);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* --- letterhead settings --- */

static const struct {
	const char *name;
	size_t max;
	int lines;
	const char *message;
} setting_fields[] = {
    {"adresse", 400, 1, "L'adresse tient en 400 caractères au plus."},
    {"contact", 200, 0, "Le contact tient sur une ligne de 200 caractères au plus."},
    {"ville", 100, 0, "La ville tient sur une ligne de 100 caractères au plus."},
    {"signataire", 200, 0, "Le signataire tient sur une ligne de 200 caractères au plus."},
    {"tribunal", 200, 0, "Le tribunal tient sur une ligne de 200 caractères au plus."},
};
#define NSETTINGS (sizeof setting_fields / sizeof setting_fields[0])

json_t *letters_settings(struct db *db, const struct actor *who, int *err)
{
	json_t *set, *ccas, *out;

	if (!perm_allows(who->role, PERM_LETTER_TEMPLATES) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	set = letter_store_settings(db, who->tenant_id, err);
	if (!set && *err != CAS_ENOTFOUND)
		return NULL;
	ccas = letter_ccas(db, who->tenant_id, err);
	if (!ccas) {
		json_decref(set);
		return NULL;
	}
	out = json_object();
	for (size_t i = 0; i < NSETTINGS; i++)
		json_object_set_new(out, setting_fields[i].name,
		                    json_string(jstr(set, setting_fields[i].name)));
	json_object_set_new(out, "signataire_effectif", json_string(jstr(ccas, "signataire")));
	json_object_set_new(out, "tribunal_effectif", json_string(jstr(ccas, "tribunal")));
	json_decref(set);
	json_decref(ccas);
	*err = 0;
	return out;
}

static json_t *validate_settings(const json_t *in, json_t *errs)
{
	json_t *after = json_object();

	for (size_t i = 0; i < NSETTINGS; i++) {
		char *v = normalise(jstr(in, setting_fields[i].name));
		if (!utf8_valid(v, strlen(v)) || utf8_strlen(v) > setting_fields[i].max ||
		    (!setting_fields[i].lines && strchr(v, '\n')))
			json_object_set_new(errs, setting_fields[i].name,
			                    json_string(setting_fields[i].message));
		json_object_set_new(after, setting_fields[i].name, json_string(v));
		free(v);
	}
	if (*jstr(after, "tribunal") &&
	    !strcasestr(jstr(after, "tribunal"), "tribunal administratif"))
		json_object_set_new(
		    errs, "tribunal",
		    json_string("Écrivez « tribunal administratif de … » : c'est "
		                "devant lui que le recours contentieux est porté."));
	return after;
}

static int save_settings(struct db *db, const struct actor *who, json_t *after)
{
	int rc;
	json_t *before = letter_store_settings(db, who->tenant_id, &rc), *changes = json_object();

	if (!before && rc != CAS_ENOTFOUND) {
		json_decref(changes);
		return rc;
	}
	json_object_del(before, "updated_at");
	audit_diff(changes, before, after);
	json_decref(before);
	rc = letter_store_settings_set(db, who->tenant_id, after, who->user_id, clock_now());
	if (rc == 0 && json_object_size(changes))
		return audit_write(db, who, "entete_courriers", "tenant", who->tenant_id, changes);
	json_decref(changes);
	return rc;
}

int letters_settings_update(struct db *db, const struct actor *who, const json_t *in,
                            json_t **errors)
{
	json_t *errs, *after;
	int rc;

	*errors = NULL;
	if (!perm_allows(who->role, PERM_LETTER_TEMPLATES) || !who->tenant_id)
		return CAS_EPERM;
	errs = json_object();
	after = validate_settings(in, errs);
	if (json_object_size(errs)) {
		*errors = errs;
		json_decref(after);
		return CAS_EINVAL;
	}
	json_decref(errs);
	rc = db_begin(db);
	if (rc == 0)
		rc = save_settings(db, who, after);
	json_decref(after);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* --- variables and preview --- */

json_t *letters_variables(void)
{
	static const char *const v[][2] = {
	    {"{{formule}}", "« Madame » ou « Monsieur », selon le demandeur"},
	    {"{{destinataire}}", "civilité, prénom et nom du demandeur"},
	    {"{{date}}", "date du courrier (« 3 mars 2025 »)"},
	    {"{{agent}}", "agent qui produit le courrier"},
	    {"{{numero_courrier}}", "rang du courrier dans le dossier"},
	    {"{{dossier.numero}}", "numéro du dossier"},
	    {"{{dossier.aide}}", "aide demandée"},
	    {"{{dossier.depose_le}}", "date de dépôt de la demande"},
	    {"{{dossier.montant_demande}}", "montant demandé"},
	    {"{{dossier.motif}}", "motif de la demande"},
	    {"{{ccas.nom}}", "nom du CCAS"},
	    {"{{ccas.adresse_ligne}}", "adresse du CCAS sur une ligne"},
	    {"{{ccas.contact}}", "téléphone ou courriel du CCAS"},
	    {"{{ccas.signataire}}", "signataire des courriers"},
	    {"{{ccas.tribunal}}", "tribunal administratif compétent"},
	    {"{{#pieces}}- {{.}}{{/pieces}}", "demande de pièces : une ligne par pièce demandée"},
	    {"{{date_limite}}", "demande de pièces : date limite de retour"},
	    {"{{montant}}", "accord : montant accordé"},
	    {"{{beneficiaire}}", "accord : à qui l'aide est versée"},
	    {"{{modalites}}", "accord : modalités de versement"},
	    {"{{decision_le}}", "notifications : date de la décision"},
	    {"{{motif}}", "refus, ajournement : motif de la décision ; demande de pièces : "
	                  "précisions"},
	    {"{{recours_objet}} {{recours_depart}}",
	     "voies de recours : ce qui peut être contesté, et depuis quand court le délai"},
	};
	json_t *out = json_array();

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		json_array_append_new(
		    out, json_pack("{s:s, s:s}", "name", v[i][0], "description", v[i][1]));
	return out;
}

int letters_preview(struct db *db, const struct actor *who, const char *kind, const char *body,
                    unsigned char **pdf, size_t *len, json_t **errors)
{
	int recours = kind && strcmp(kind, "voies_recours") == 0;
	const char *text = body && *body ? body : NULL; /* NULL: the CCAS's current text */
	const char *as = recours ? "notification_refus" : kind;
	struct letter_given given = {recours ? NULL : text, recours ? text : NULL};
	int64_t now = clock_now();
	json_t *d, *params, *ccas, *data = NULL;
	int rc;

	*errors = NULL;
	*pdf = NULL;
	if (!perm_allows(who->role, PERM_LETTER_TEMPLATES) || !who->tenant_id)
		return CAS_EPERM;
	if (!template_kind(kind))
		return CAS_ENOTFOUND;
	ccas = letter_ccas(db, who->tenant_id, &rc);
	if (!ccas)
		return rc;
	d = sample_dossier(as, now, 0);
	params = sample_params(0);
	rc = letter_build(db, who, ccas, d, as, params, 1, now, &given, pdf, len, &data, errors);
	json_decref(data);
	json_decref(params);
	json_decref(d);
	json_decref(ccas);
	return rc;
}
