/* Typing of API Particulier errors. The decision rests on the HTTP status
 * and on the last three digits of the error code (the two-digit provider
 * prefix differs between the sandbox and production), never on the
 * prefix. Every kind gets a French message telling the agent what to do. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "providers/http.h"
#include "providers/particulier.h"

#define RETRY_AFTER_MAX 86400

/* What the body says: the first error of {errors:[{code,title,detail,
 * source:{parameter},meta:{retry_in}}]}, or the v2 shapes. */
struct pa_body_error {
	char code[16];
	char sub[4]; /* last three digits of code, "" when none */
	const char *title, *detail, *parameter;
	int retry_in;
	json_t *root;
};

/* A parameter error: subcode, the parameter, the French message. */
struct param_msg {
	const char *sub, *param, *text;
};

static const struct param_msg param_msgs[] = {
    {"420", "nomNaissance",
     "Le nom de naissance est refusé : il ne peut contenir que des lettres, des espaces, des "
     "apostrophes et des tirets. Corrigez le nom de naissance de la personne."},
    {"367", "prenoms",
     "Les prénoms sont refusés : indiquez de un à trois prénoms, composés uniquement de lettres, "
     "d'espaces, d'apostrophes et de tirets. Corrigez les prénoms de la personne."},
    {"363", "dateNaissance",
     "La date de naissance est refusée : elle doit être une date réelle, entre le 1er janvier 1900 "
     "et hier (année, mois et jour valides). Corrigez la date de naissance de la personne."},
    {"427", "sexeEtatCivil",
     "Le sexe à l'état civil est refusé : il doit valoir F ou M. Corrigez le sexe de la personne."},
    {"400", "codeCogInseePaysNaissance",
     "Le pays de naissance est refusé : son code COG doit compter 5 chiffres et commencer par 99 "
     "(99100 pour la France). Corrigez le pays de naissance de la personne."},
    {"365", "codeCogInseeCommuneNaissance",
     "La commune de naissance est refusée ou manquante : pour une personne née en France, indiquez "
     "le code COG de la commune de naissance (5 caractères), ou son nom et son département. "
     "Corrigez le lieu de naissance de la personne."},
    {"356", "annee",
     "L'année demandée est refusée : elle doit être l'année en cours, la précédente ou celle "
     "d'avant. Corrigez l'année du quotient familial demandé."},
    {"354", "mois",
     "Le mois demandé est refusé : il doit être compris entre 1 et 12 et ne pas être dans le "
     "futur. Corrigez le mois du quotient familial demandé."},
    {"210", "recipient",
     "Le SIRET du CCAS (paramètre recipient) est refusé par API Particulier. L'administrateur doit "
     "corriger le SIRET du CCAS dans Cassis."},
    {"366", NULL,
     "La CAF ou la MSA refuse le format de l'état civil transmis. Vérifiez les noms, prénoms, date "
     "et lieu de naissance de la personne (sans abréviation ni caractère spécial), puis "
     "réessayez."},
};

static const char not_found_text[] =
    "Aucun allocataire de la CAF ou de la MSA ne correspond à cette identité. Vérifiez l'état "
    "civil de la personne (nom de naissance, prénoms dans l'ordre de l'état civil, date et lieu de "
    "naissance) ; si tout est exact, demandez-lui son attestation de quotient familial.";

static void set_message(struct pa_result *r, const char *text)
{
	free(r->message);
	r->message = xstrdup(text);
}

static void set_param(struct pa_result *r, const char *param)
{
	free(r->param);
	r->param = param && *param ? xstrdup(param) : NULL;
}

/* Reads the code (string or number) and its last three digits. */
static void read_code(const json_t *v, struct pa_body_error *e)
{
	if (json_is_integer(v))
		snprintf(e->code, sizeof(e->code), "%05lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(e->code, sizeof(e->code), "%s", json_string_value(v));
	size_t n = strlen(e->code);
	if (n >= 3 && isdigit((unsigned char)e->code[n - 1]) &&
	    isdigit((unsigned char)e->code[n - 2]) && isdigit((unsigned char)e->code[n - 3]))
		memcpy(e->sub, e->code + n - 3, 4);
}

static void read_body(const char *body, size_t len, struct pa_body_error *e)
{
	memset(e, 0, sizeof(*e));
	e->root = body ? json_loadb(body, len, 0, NULL) : NULL;
	json_t *errs = json_object_get(e->root, "errors");
	json_t *first = json_array_get(errs, 0);
	if (json_is_object(first)) {
		read_code(json_object_get(first, "code"), e);
		e->title = json_string_value(json_object_get(first, "title"));
		e->detail = json_string_value(json_object_get(first, "detail"));
		e->parameter = json_string_value(
		    json_object_get(json_object_get(first, "source"), "parameter"));
		json_t *ri = json_object_get(json_object_get(first, "meta"), "retry_in");
		long long v = json_is_integer(ri)  ? json_integer_value(ri)
		              : json_is_string(ri) ? strtoll(json_string_value(ri), NULL, 10)
		                                   : 0;
		e->retry_in = v > 0 ? (int)(v > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : v) : 0;
	} else if (json_is_string(first)) { /* v2 flat: {"errors":["..."]} */
		e->detail = json_string_value(first);
	} else if (json_is_object(e->root)) { /* v2: {"error","reason","message"} */
		e->detail = json_string_value(json_object_get(e->root, "message"));
		if (!e->detail)
			e->detail = json_string_value(json_object_get(e->root, "reason"));
	}
}

/* "N secondes" / "N minutes" for a wait, in out. */
static void wait_text(int seconds, char *out, size_t n)
{
	if (seconds < 120)
		snprintf(out, n, "%d seconde%s", seconds, seconds > 1 ? "s" : "");
	else
		snprintf(out, n, "%d minutes", (seconds + 59) / 60);
}

static void classify_params(struct pa_result *r, const struct pa_body_error *e)
{
	if (strcmp(e->sub, "355") == 0) {
		r->kind = PA_NOT_FOUND;
		set_message(r, not_found_text);
		return;
	}
	r->kind = PA_PARAMS;
	for (size_t i = 0; i < sizeof(param_msgs) / sizeof(param_msgs[0]); i++)
		if (strcmp(e->sub, param_msgs[i].sub) == 0) {
			set_message(r, param_msgs[i].text);
			set_param(r, e->parameter ? e->parameter : param_msgs[i].param);
			return;
		}
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "API Particulier refuse un paramètre de la consultation");
	if (e->parameter)
		buf_printf(&b, " (%s)", e->parameter);
	if (e->detail)
		buf_printf(&b, " : %s", e->detail);
	buf_puts(&b, ". Corrigez l'état civil de la personne puis réessayez.");
	set_message(r, buf_cstr(&b));
	buf_free(&b);
	set_param(r, e->parameter);
}

static void classify_token(struct pa_result *r, const struct pa_body_error *e)
{
	r->kind = PA_TOKEN;
	if (strcmp(e->sub, "103") == 0)
		set_message(
		    r, "Le jeton d'accès à API Particulier a expiré. Contactez l'administrateur "
		       "de Cassis pour qu'il le renouvelle (DataPass).");
	else if (strcmp(e->sub, "105") == 0)
		set_message(r, "Le jeton d'accès à API Particulier a été révoqué. Contactez "
		               "l'administrateur de Cassis pour qu'il en obtienne un nouveau.");
	else
		set_message(r,
		            "Le jeton d'accès à API Particulier est refusé (absent, invalide ou "
		            "inconnu). Contactez l'administrateur de Cassis pour qu'il vérifie le "
		            "jeton configuré.");
}

static void classify_scope(struct pa_result *r, const struct pa_body_error *e)
{
	r->kind = PA_SCOPE;
	if (strcmp(e->sub, "107") == 0)
		set_message(r,
		            "API Particulier refuse l'adresse IP du serveur Cassis pour ce jeton. "
		            "Contactez l'administrateur pour qu'il déclare l'adresse du serveur.");
	else
		set_message(r,
		            "Le jeton d'accès n'a pas les droits nécessaires au quotient familial "
		            "CAF / MSA. Contactez l'administrateur de Cassis pour qu'il vérifie "
		            "l'habilitation (DataPass) et les droits du jeton.");
}

static void classify_rate(struct pa_result *r, const struct pa_body_error *e, int header)
{
	char w[32];
	r->kind = PA_RATE;
	r->retry_after = header > 0 ? header : e->retry_in > 0 ? e->retry_in : 1;
	wait_text(r->retry_after, w, sizeof(w));
	char text[256];
	snprintf(text, sizeof(text),
	         "API Particulier limite le nombre de consultations : réessayez dans %s.", w);
	set_message(r, text);
}

static void classify_unavailable(struct pa_result *r, const struct pa_body_error *e, int header)
{
	char w[32], text[512];
	int maintenance =
	    r->http_status == 503 &&
	    (strcmp(e->sub, "020") == 0 || (e->title && strstr(e->title, "maintenance")) ||
	     (e->detail && strstr(e->detail, "maintenance")));
	r->retry_after = header > 0 ? header : e->retry_in;
	if (r->retry_after > 0)
		wait_text(r->retry_after, w, sizeof(w));
	if (r->http_status == 504) {
		r->kind = PA_TIMEOUT;
		snprintf(
		    text, sizeof(text),
		    "La CAF ou la MSA n'a pas répondu à temps. Réessayez %s%s ; si cela se répète, "
		    "demandez à la personne son attestation de quotient familial.",
		    r->retry_after > 0 ? "dans " : "dans quelques minutes",
		    r->retry_after > 0 ? w : "");
	} else if (maintenance) {
		r->kind = PA_PROVIDER;
		snprintf(text, sizeof(text),
		         "Le service de la CAF et de la MSA est en maintenance. Réessayez %s%s.",
		         r->retry_after > 0 ? "dans " : "plus tard", r->retry_after > 0 ? w : "");
	} else {
		r->kind = PA_PROVIDER;
		snprintf(text, sizeof(text),
		         "%s n'a pas pu répondre (erreur %d). Réessayez %s%s ; si cela se répète, "
		         "signalez-le à l'administrateur avec l'identifiant de requête.",
		         r->http_status >= 502 ? "La CAF ou la MSA" : "API Particulier",
		         r->http_status, r->retry_after > 0 ? "dans " : "dans quelques minutes",
		         r->retry_after > 0 ? w : "");
	}
	set_message(r, text);
}

static void classify_other(struct pa_result *r, const struct pa_body_error *e)
{
	switch (r->http_status) {
	case 404:
		if (!e->root || strcmp(e->sub, "402") == 0) { /* no JSON: a wrong address */
			r->kind = PA_INTERNAL;
			set_message(
			    r, "L'adresse d'API Particulier configurée ne répond pas au service du "
			       "quotient familial. Contactez l'administrateur de Cassis pour qu'il "
			       "vérifie l'adresse du service.");
		} else {
			r->kind = PA_NOT_FOUND;
			set_message(r, not_found_text);
		}
		return;
	case 409:
		r->kind = PA_CONFLICT;
		set_message(r, "Une consultation identique est déjà en cours. Attendez quelques "
		               "secondes, puis réessayez.");
		return;
	case 410:
		r->kind = PA_GONE;
		set_message(r,
		            "Ce service d'API Particulier a été retiré. Contactez l'administrateur "
		            "de Cassis : une mise à jour est nécessaire.");
		return;
	default:
		r->kind = PA_INTERNAL;
		char text[256];
		snprintf(
		    text, sizeof(text),
		    "API Particulier a répondu par une erreur inattendue (HTTP %d). Réessayez ; si "
		    "cela se répète, signalez-le à l'administrateur avec l'identifiant de requête.",
		    r->http_status);
		set_message(r, text);
	}
}

void pa_classify(struct pa_result *r, const char *retry_after_header)
{
	struct pa_body_error e;
	read_body(r->body, r->body_len, &e);
	snprintf(r->code, sizeof(r->code), "%s", e.code);
	int header = http_parse_retry_after(retry_after_header);
	int st = r->http_status;
	if (st == 400 || st == 422)
		classify_params(r, &e);
	else if (st == 401)
		classify_token(r, &e);
	else if (st == 403)
		classify_scope(r, &e);
	else if (st == 429)
		classify_rate(r, &e, header);
	else if (st >= 500 && st <= 599)
		classify_unavailable(r, &e, header);
	else
		classify_other(r, &e);
	json_decref(e.root);
}
