/* The data of a letter: the CCAS's letterhead, the recipient, the dossier,
 * the parameters of the kind (validated), the template variables, then the
 * PDF through letter_render(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/letters.h"
#include "app/letters_internal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/money.h"

#define PARAM_MAX  2000 /* characters of a free-text parameter */
#define PIECES_MAX 50

static const char *const months[] = {"janvier",   "février", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "août",
                                     "septembre", "octobre", "novembre", "décembre"};

static void ymd_fr(int y, int m, int d, char *out, size_t outsz)
{
	if (m < 1 || m > 12) {
		snprintf(out, outsz, "%s", "");
		return;
	}
	snprintf(out, outsz, d == 1 ? "%der %s %d" : "%d %s %d", d, months[m - 1], y);
}

void letter_date_fr(int64_t t, char *out, size_t outsz)
{
	int y, m, d;

	paris_ymd(t, &y, &m, &d);
	ymd_fr(y, m, d, out, outsz);
}

void letter_iso_date_fr(const char *iso, char *out, size_t outsz)
{
	int y = 0, m = 0, d = 0;

	if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		m = 0;
	ymd_fr(y, m, d, out, outsz);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v ? v : ""));
}

/* --- parameters --- */

static int text_ok(const char *s, size_t max)
{
	return utf8_valid(s, strlen(s)) && utf8_strlen(s) <= max;
}

/* "pieces": an array of strings or one string, one piece per line. */
static json_t *read_pieces(const json_t *params, json_t *errors)
{
	const json_t *v = json_object_get(params, "pieces");
	json_t *out = json_array(), *e;
	size_t i;

	if (json_is_string(v)) {
		char *copy = xstrdup(json_string_value(v)), *line = copy, *nl;
		do {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			while (*line == ' ' || *line == '\t' || *line == '-')
				line++;
			size_t n = strlen(line);
			while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (n)
				json_array_append_new(out, json_string(line));
			line = nl ? nl + 1 : NULL;
		} while (line);
		free(copy);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e) if (json_is_string(e) && *json_string_value(e))
		    json_array_append(out, e);
	}
	json_array_foreach(out, i, e) if (!text_ok(json_string_value(e), 300))
	{
		json_object_set_new(errors, "pieces",
		                    json_string("Chaque pièce tient en 300 caractères au plus."));
		break;
	}
	if (json_array_size(out) == 0)
		json_object_set_new(errors, "pieces",
		                    json_string("Indiquez au moins une pièce à demander."));
	else if (json_array_size(out) > PIECES_MAX)
		json_object_set_new(errors, "pieces",
		                    json_string("Demandez 50 pièces au plus dans un courrier."));
	return out;
}

static void date_limite(json_t *vars, json_t *ccas, const json_t *params, int64_t now,
                        json_t *errors)
{
	const char *s = jstr(params, "date_limite");
	int64_t t = 0, days = json_integer_value(json_object_get(ccas, "delai_pieces"));
	char today[11], fr[48];

	paris_date_iso(now, today);
	if (*s && (strlen(s) != 10 || clock_parse(s, &t) != 0 || strcmp(s, today) < 0)) {
		json_object_set_new(errors, "date_limite",
		                    json_string("Indiquez une date limite à venir (AAAA-MM-JJ)."));
		return;
	}
	if (*s) {
		letter_iso_date_fr(s, fr, sizeof fr);
	} else {
		letter_date_fr(now + days * 86400, fr, sizeof fr);
	}
	set_str(vars, "date_limite", fr);
}

static void amount(json_t *vars, json_t *d, const json_t *params, json_t *errors)
{
	const char *s = jstr(params, "montant"), *why = NULL;
	const json_t *c = json_object_get(params, "montant_centimes");
	int64_t cents = json_integer_value(json_object_get(d, "montant_accorde"));
	char fr[MONEY_FMT_SIZE];

	if (*s && money_parse(s, &cents, &why) != 0) {
		json_object_set_new(errors, "montant", json_string(why));
		return;
	}
	if (!*s && json_is_integer(c))
		cents = json_integer_value(c);
	if (cents <= 0 || cents > MONEY_MAX_CENTS) {
		json_object_set_new(errors, "montant", json_string("Indiquez le montant accordé."));
		return;
	}
	money_format(cents, fr, sizeof fr);
	set_str(vars, "montant", fr);
	json_object_set_new(
	    vars, "accord_partiel",
	    json_boolean(cents < json_integer_value(json_object_get(d, "montant_demande"))));
}

/* A free-text parameter or its default; errors[key] when too long. */
static void free_text(json_t *vars, const json_t *params, const char *key, const char *def,
                      json_t *errors)
{
	const char *s = jstr(params, key);

	if (*s && !text_ok(s, PARAM_MAX)) {
		json_object_set_new(
		    errors, key, json_string("Ce texte est trop long (2 000 caractères au plus)."));
		return;
	}
	set_str(vars, key, *s ? s : def);
}

static void kind_params(json_t *vars, json_t *ccas, json_t *d, const char *kind,
                        const json_t *params, int64_t now, json_t *errors)
{
	if (strcmp(kind, "demande_pieces") == 0) {
		json_object_set_new(vars, "pieces", read_pieces(params, errors));
		date_limite(vars, ccas, params, now, errors);
		free_text(vars, params, "motif", "", errors);
	} else if (strcmp(kind, "notification_accord") == 0) {
		amount(vars, d, params, errors);
		free_text(vars, params, "beneficiaire", jstr(vars, "destinataire_nom"), errors);
		free_text(vars, params, "modalites",
		          "versement par virement bancaire au bénéficiaire indiqué ci-dessus",
		          errors);
	} else if (strncmp(kind, "notification_", 13) == 0) {
		free_text(vars, params, "motif", jstr(d, "motif_decision"), errors);
		if (!*jstr(vars, "motif") && !json_object_get(errors, "motif"))
			json_object_set_new(
			    errors, "motif",
			    json_string("Indiquez le motif de la décision : la notification doit "
			                "le mentionner."));
	}
}

/* --- variables --- */

static void recipient(json_t *vars, json_t *d)
{
	const char *civ = strcmp(jstr(d, "sexe"), "F") == 0 ? "Madame" : "Monsieur";
	const char *nom = *jstr(d, "nom_usage") ? jstr(d, "nom_usage") : jstr(d, "nom_naissance");
	struct buf b;
	char name[512];

	snprintf(name, sizeof name, "%s %s", jstr(d, "prenom1"), nom);
	buf_init(&b, 4096);
	buf_printf(&b, "%s %s", civ, name);
	if (*jstr(d, "adresse"))
		buf_printf(&b, "\n%s", jstr(d, "adresse"));
	if (*jstr(d, "code_postal") || *jstr(d, "commune"))
		buf_printf(&b, "\n%s %s", jstr(d, "code_postal"), jstr(d, "commune"));
	set_str(vars, "formule", civ);
	json_object_set_new(vars, "destinataire", json_pack("s++", civ, " ", name));
	set_str(vars, "destinataire_nom", name);
	set_str(vars, "destinataire_bloc", buf_cstr(&b));
	buf_free(&b);
}

static json_t *dossier_vars(json_t *d)
{
	char depose[48], montant[MONEY_FMT_SIZE];

	if (json_is_string(json_object_get(d, "depose_le")))
		letter_iso_date_fr(jstr(d, "depose_le"), depose, sizeof depose);
	else
		letter_date_fr(json_integer_value(json_object_get(d, "created_at")), depose,
		               sizeof depose);
	money_format(json_integer_value(json_object_get(d, "montant_demande")), montant,
	             sizeof montant);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "numero", jstr(d, "numero"), "aide",
	                 jstr(d, "aide"), "motif", jstr(d, "motif"), "montant_demande", montant,
	                 "depose_le", depose);
}

static void recours_vars(json_t *vars, const char *kind)
{
	int ar = strcmp(kind, "accuse_reception") == 0;

	set_str(vars, "recours_objet", ar ? "un éventuel refus implicite" : "cette décision");
	set_str(vars, "recours_depart",
	        ar ? "la naissance de ce refus implicite" : "la réception du présent courrier");
}

static json_t *base_vars(const struct actor *who, json_t *ccas, json_t *d, int64_t numero,
                         int64_t now)
{
	json_t *vars = json_object();
	char date[48], decided[48];
	int64_t dt = json_integer_value(json_object_get(d, "decided_at"));

	letter_date_fr(now, date, sizeof date);
	letter_date_fr(dt > 0 ? dt : now, decided, sizeof decided);
	json_object_set(vars, "ccas", ccas);
	recipient(vars, d);
	json_object_set_new(vars, "dossier", dossier_vars(d));
	set_str(vars, "date", date);
	set_str(vars, "decision_le", decided);
	set_str(vars, "agent", who->user_id && *who->display_name ? who->display_name : "");
	json_object_set_new(vars, "numero_courrier", json_integer(numero));
	return vars;
}

/* --- the document --- */

/* Refusals, ajournements, accusés de réception (against the implicit
 * refusal they announce) and an agreement for less than was asked. */
static int needs_recours(const char *kind, const json_t *vars)
{
	return strcmp(kind, "notification_refus") == 0 ||
	       strcmp(kind, "notification_ajournement") == 0 ||
	       strcmp(kind, "accuse_reception") == 0 ||
	       json_is_true(json_object_get(vars, "accord_partiel"));
}

struct texts {
	char lieu_date[160], reference[600], footer[400], title[200], seed[160];
};

static void doc_texts(struct texts *t, json_t *vars, const char *kind, int64_t tenant_id, json_t *d,
                      int64_t numero, int64_t now)
{
	const json_t *ccas = json_object_get(vars, "ccas");
	const char *ville = jstr(ccas, "ville"), *agent = jstr(vars, "agent");
	const char *num = jstr(d, "numero");

	if (*ville)
		snprintf(t->lieu_date, sizeof t->lieu_date, "%s, le %s", ville, jstr(vars, "date"));
	else
		snprintf(t->lieu_date, sizeof t->lieu_date, "Le %s", jstr(vars, "date"));
	snprintf(t->reference, sizeof t->reference, "Dossier n° %s — %s%s%s", num,
	         jstr(json_object_get(vars, "dossier"), "aide"),
	         *agent ? "\nAffaire suivie par : " : "", agent);
	snprintf(t->footer, sizeof t->footer, "%s — Dossier %s — Courrier n° %lld",
	         jstr(ccas, "nom"), num, (long long)numero);
	snprintf(t->title, sizeof t->title, "%s — dossier %s", letter_kind_label(kind), num);
	snprintf(t->seed, sizeof t->seed, "cassis-courrier:%lld:%lld:%lld:%lld",
	         (long long)tenant_id, (long long)json_integer_value(json_object_get(d, "id")),
	         (long long)numero, (long long)now);
}

/* The texts of the templates: *body (the CCAS's or the one given) and
 * *recours (NULL when the kind has none). */
static int template_texts(struct db *db, const struct actor *who, const char *kind,
                          const json_t *vars, const struct letter_given *given, char **body,
                          char **recours)
{
	int err = 0;

	*recours = NULL;
	*body = given && given->body ? xstrdup(given->body)
	                             : letter_template_text(db, who->tenant_id, kind, &err);
	if (!*body)
		return err ? err : CAS_EDB;
	if (needs_recours(kind, vars)) {
		*recours = given && given->recours
		               ? xstrdup(given->recours)
		               : letter_template_text(db, who->tenant_id, "voies_recours", &err);
		if (!*recours)
			return err ? err : CAS_EDB;
	}
	return 0;
}

static json_t *frozen(json_t *vars, const char *body, const char *recours, const struct texts *t)
{
	json_t *o = json_pack("{s:O, s:s, s:s, s:s}", "variables", vars, "modele", body,
	                      "lieu_date", t->lieu_date, "reference", t->reference);
	json_object_set_new(o, "voies_recours", recours ? json_string(recours) : json_null());
	return o;
}

static int render(json_t *vars, const struct texts *t, const char *body, const char *recours,
                  int64_t now, unsigned char **pdf, size_t *len, json_t **errors)
{
	const json_t *ccas = json_object_get(vars, "ccas");
	struct letter_doc doc = {
	    .ccas_nom = jstr(ccas, "nom"),
	    .adresse = jstr(ccas, "adresse"),
	    .communes = jstr(ccas, "communes_ligne"),
	    .contact = jstr(ccas, "contact"),
	    .colour = jstr(ccas, "colour"),
	    .destinataire = jstr(vars, "destinataire_bloc"),
	    .lieu_date = t->lieu_date,
	    .reference = t->reference,
	    .body = body,
	    .recours = recours,
	    .vars = vars,
	    .title = t->title,
	    .footer = t->footer,
	    .created = now,
	    .id_seed = t->seed,
	};
	char err[300] = "";
	int rc = letter_render(&doc, pdf, len, err, sizeof err);

	if (rc == CAS_EINVAL) {
		char msg[400];
		snprintf(msg, sizeof msg, "Le modèle de courrier ne peut pas être appliqué : %s.",
		         err);
		*errors = json_pack("{s:s}", "template", msg);
	}
	return rc;
}

int letter_build(struct db *db, const struct actor *who, json_t *ccas, json_t *d, const char *kind,
                 const json_t *params, int64_t numero, int64_t now,
                 const struct letter_given *given, unsigned char **pdf, size_t *len, json_t **data,
                 json_t **errors)
{
	json_t *vars = base_vars(who, ccas, d, numero, now), *errs = json_object();
	char *body = NULL, *recours = NULL;
	struct texts t;
	int rc;

	kind_params(vars, ccas, d, kind, params, now, errs);
	if (json_object_size(errs)) {
		*errors = errs;
		json_decref(vars);
		return CAS_EINVAL;
	}
	json_decref(errs);
	recours_vars(vars, kind);
	doc_texts(&t, vars, kind, who->tenant_id, d, numero, now);
	rc = template_texts(db, who, kind, vars, given, &body, &recours);
	if (rc == 0)
		rc = render(vars, &t, body, recours, now, pdf, len, errors);
	if (rc == 0)
		*data = frozen(vars, body, recours, &t);
	free(body);
	free(recours);
	json_decref(vars);
	return rc;
}
