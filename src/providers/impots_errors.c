/* Typing of API Impôt particulier answers other than a readable 200. The
 * DGFiP envelope is {"erreur":{"code","message","horodatage"}}; the gateway
 * (WSO2) answers {"fault":{"code","message","description"}}. The decision
 * rests on the HTTP status and the DGFiP code (4001 bad SPI, 4002 bad
 * year, 4031 not allowed, 4101 no data for the year, 4102 unknown SPI);
 * production has also answered 204, 403 and 404 for "nothing found".
 * Every kind gets a French message telling the agent what to do. */
#include <stdio.h>
#include <string.h>

#include "providers/impots_internal.h"

struct ip_body_error {
	char code[16];
	const char *message;
	int envelope; /* 1: a DGFiP "erreur" object, 2: a gateway "fault" */
	int json;     /* the body is JSON */
	json_t *root;
};

static void read_code(const json_t *v, char *code, size_t n)
{
	if (json_is_integer(v))
		snprintf(code, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		snprintf(code, n, "%s", json_string_value(v));
}

static void read_body(const struct ip_result *r, struct ip_body_error *e)
{
	memset(e, 0, sizeof(*e));
	if (!r->body || !r->body_len)
		return;
	e->root = json_loadb(r->body, r->body_len, 0, NULL);
	e->json = e->root != NULL;
	json_t *err = json_object_get(e->root, "erreur");
	json_t *fault = json_object_get(e->root, "fault");
	json_t *o = json_is_object(err) ? err : json_is_object(fault) ? fault : NULL;
	if (!o)
		return;
	e->envelope = o == err ? 1 : 2;
	read_code(json_object_get(o, "code"), e->code, sizeof(e->code));
	e->message = json_string_value(json_object_get(o, "message"));
}

static void no_data(struct ip_result *r)
{
	char text[640];
	if (r->deux_ans)
		snprintf(text, sizeof(text),
		         "La DGFiP n'a aucune donnée pour ce numéro fiscal sur les deux dernières "
		         "années de revenus. Vérifiez le numéro fiscal sur l'avis d'impôt ; si la "
		         "personne n'a pas déclaré ses revenus, demandez-lui un justificatif de "
		         "ressources.");
	else
		snprintf(text, sizeof(text),
		         "La DGFiP n'a aucune donnée pour ce numéro fiscal et les revenus %d. Si "
		         "l'avis de ces revenus n'est pas encore établi (les revenus d'une année "
		         "sont disponibles à partir de fin juillet de l'année suivante), "
		         "interrogez l'année précédente ; sinon, vérifiez le numéro fiscal sur "
		         "l'avis d'impôt ou demandez l'avis à la personne.",
		         r->year_asked);
	ip_fail(r, IP_NO_DATA, text);
}

static void unknown_spi(struct ip_result *r)
{
	ip_fail(r, IP_UNKNOWN_SPI,
	        "Ce numéro fiscal ne correspond à aucun contribuable. Vérifiez-le sur l'avis "
	        "d'impôt (13 chiffres, en haut de la première page) ; une personne rattachée "
	        "au foyer fiscal de ses parents ne peut pas être interrogée : utilisez le "
	        "numéro fiscal d'un déclarant du foyer.");
}

static void bad_request(struct ip_result *r, const struct ip_body_error *e)
{
	int spi = strcmp(e->code, "4001") == 0 || (e->message && strstr(e->message, "SPI"));
	if (spi) {
		ip_fail(r, IP_BAD_SPI,
		        "La DGFiP refuse le format du numéro fiscal. Vérifiez les 13 chiffres sur "
		        "l'avis d'impôt de la personne, puis réessayez.");
	} else if (strcmp(e->code, "4002") == 0) {
		char text[320];
		snprintf(text, sizeof(text),
		         "La DGFiP refuse l'année de revenus demandée (%d). Indiquez une année sur "
		         "quatre chiffres, par exemple celle des revenus du dernier avis d'impôt.",
		         r->year_asked);
		ip_fail(r, IP_BAD_YEAR, text);
	} else {
		ip_fail(r, IP_BAD_REQUEST,
		        "La DGFiP refuse la demande comme mal formée. Vérifiez le numéro fiscal et "
		        "l'année ; si cela se répète, signalez-le à l'administrateur avec "
		        "l'identifiant de corrélation.");
	}
}

static void forbidden(struct ip_result *r)
{
	ip_fail(r, IP_FORBIDDEN,
	        "La DGFiP refuse l'accès à cette donnée : l'habilitation du CCAS (DataPass) ne "
	        "couvre pas cette ressource ou cette année, ou le foyer n'est pas accessible. "
	        "Vérifiez le numéro fiscal et l'année ; si cela se répète pour tous les foyers, "
	        "contactez l'administrateur de Cassis.");
}

static void credentials(struct ip_result *r)
{
	ip_fail(r, IP_CREDENTIALS,
	        "La DGFiP refuse le jeton d'accès de Cassis, même renouvelé. Contactez "
	        "l'administrateur pour qu'il vérifie les identifiants, le certificat et "
	        "l'habilitation de l'API Impôt particulier.");
}

static void rate(struct ip_result *r, int header)
{
	char text[256];
	r->retry_after = header > 0 ? header : 60;
	snprintf(text, sizeof(text),
	         "La DGFiP limite le nombre de consultations (quota par minute atteint) : "
	         "réessayez dans %d seconde%s.",
	         r->retry_after, r->retry_after > 1 ? "s" : "");
	ip_fail(r, IP_RATE, text);
}

static void unavailable(struct ip_result *r, int header)
{
	char text[512], wait[64] = "dans quelques minutes";
	r->retry_after = header;
	if (header > 0)
		snprintf(wait, sizeof(wait), "dans %d seconde%s", header, header > 1 ? "s" : "");
	if (r->http_status == 504)
		snprintf(text, sizeof(text),
		         "La DGFiP n'a pas répondu à temps. Réessayez %s ; si cela se répète, "
		         "demandez à la personne son dernier avis d'impôt.",
		         wait);
	else
		snprintf(
		    text, sizeof(text),
		    "L'API Impôt particulier n'a pas pu répondre (erreur %d). Réessayez %s ; si "
		    "cela se répète, signalez-le à l'administrateur avec l'identifiant de "
		    "corrélation.",
		    r->http_status, wait);
	ip_fail(r, r->http_status == 504 ? IP_TIMEOUT : IP_PROVIDER, text);
}

static void wrong_address(struct ip_result *r)
{
	ip_fail(r, IP_INTERNAL,
	        "L'adresse configurée pour l'API Impôt particulier ne répond pas à ce service. "
	        "Contactez l'administrateur de Cassis pour qu'il vérifie l'adresse de la "
	        "passerelle de la DGFiP.");
}

static void unexpected(struct ip_result *r)
{
	char text[320];
	snprintf(text, sizeof(text),
	         "L'API Impôt particulier a répondu par une erreur inattendue (HTTP %d). "
	         "Réessayez ; si cela se répète, signalez-le à l'administrateur avec "
	         "l'identifiant de corrélation.",
	         r->http_status);
	ip_fail(r, IP_INTERNAL, text);
}

/* 404 and 410: "nothing found", unless the body shows a wrong address. */
static void not_found(struct ip_result *r, const struct ip_body_error *e)
{
	if (strcmp(e->code, "4102") == 0)
		unknown_spi(r);
	else if (r->http_status == 404 && (e->envelope == 2 || (r->body_len && !e->json)))
		wrong_address(r);
	else
		no_data(r);
}

void ip_classify(struct ip_result *r, const char *retry_after_header)
{
	struct ip_body_error e;
	read_body(r, &e);
	snprintf(r->code, sizeof(r->code), "%s", e.code);
	int header = http_parse_retry_after(retry_after_header);
	int st = r->http_status;
	if (strcmp(e.code, "4101") == 0 && st >= 400 && st < 500)
		no_data(r);
	else if (strcmp(e.code, "4102") == 0 && st >= 400 && st < 500)
		unknown_spi(r);
	else if (st == 204)
		no_data(r);
	else if (st >= 200 && st < 300)
		ip_fail(
		    r, IP_MALFORMED,
		    "La réponse de la DGFiP est illisible. Réessayez dans quelques minutes ; si "
		    "cela se répète, signalez-le à l'administrateur avec l'identifiant de "
		    "corrélation.");
	else if (st == 400)
		bad_request(r, &e);
	else if (st == 401)
		credentials(r);
	else if (st == 403)
		forbidden(r);
	else if (st == 404 || st == 410)
		not_found(r, &e);
	else if (st == 429)
		rate(r, header);
	else if (st >= 500 && st <= 599)
		unavailable(r, header);
	else
		unexpected(r);
	json_decref(e.root);
}
