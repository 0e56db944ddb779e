/* Typing of API Particulier errors (providers/pa_errors.c): the HTTP status
 * and the last three digits of the code decide, never the provider prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "providers/particulier.h"

/* Classifies a v3 error body {errors:[{code, source, meta}]} under status. */
static void classify(struct pa_result *r, int status, const char *body, const char *retry_after)
{
	memset(r, 0, sizeof(*r));
	r->http_status = status;
	r->body = xstrdup(body);
	r->body_len = strlen(body);
	pa_classify(r, retry_after);
	assert_non_null(r->message);
}

static void v3(struct pa_result *r, int status, const char *code, const char *param)
{
	char body[512];
	if (param)
		snprintf(body, sizeof(body),
		         "{\"errors\":[{\"code\":\"%s\",\"title\":\"Entité non traitable\","
		         "\"detail\":\"...\",\"source\":{\"parameter\":\"%s\"},\"meta\":{}}]}",
		         code, param);
	else
		snprintf(body, sizeof(body),
		         "{\"errors\":[{\"code\":\"%s\",\"title\":\"t\",\"detail\":\"d\","
		         "\"source\":null,"
		         "\"meta\":{\"provider\":\"CNAV\"}}]}",
		         code);
	classify(r, status, body, NULL);
}

struct param_case {
	const char *code, *param, *word; /* the message names the field to fix */
};

static void each_parameter_code(void **state)
{
	static const struct param_case cases[] = {
	    {"00420", "nomNaissance", "nom de naissance"},
	    {"00367", "prenoms", "prénoms"},
	    {"00363", "dateNaissance", "date de naissance"},
	    {"00427", "sexeEtatCivil", "sexe"},
	    {"00400", "codeCogInseePaysNaissance", "pays de naissance"},
	    {"00365", "codeCogInseeCommuneNaissance", "commune de naissance"},
	    {"00356", "annee", "année"},
	    {"00354", "mois", "mois"},
	    {"00210", "recipient", "SIRET"},
	};
	struct pa_result r;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* with the source.parameter of the body */
		v3(&r, 422, cases[i].code, cases[i].param);
		assert_int_equal(r.kind, PA_PARAMS);
		assert_string_equal(r.code, cases[i].code);
		assert_string_equal(r.param, cases[i].param);
		assert_non_null(strstr(r.message, cases[i].word));
		assert_non_null(strstr(r.message, "orrige"));
		pa_result_free(&r);
		/* without it, and with another prefix: same decision */
		char other[8];
		snprintf(other, sizeof(other), "37%s", cases[i].code + 2);
		v3(&r, 422, other, NULL);
		assert_int_equal(r.kind, PA_PARAMS);
		assert_string_equal(r.param, cases[i].param);
		assert_non_null(strstr(r.message, cases[i].word));
		pa_result_free(&r);
	}
}

static void civility_format_and_not_identified(void **state)
{
	struct pa_result r;
	v3(&r, 422, "00366", NULL);
	assert_int_equal(r.kind, PA_PARAMS);
	assert_null(r.param);
	assert_non_null(strstr(r.message, "état civil"));
	pa_result_free(&r);
	v3(&r, 422, "00355", NULL);
	assert_int_equal(r.kind, PA_NOT_FOUND);
	assert_non_null(strstr(r.message, "attestation"));
	pa_result_free(&r);
	/* an unknown parameter code: the detail of the body is kept */
	classify(&r, 422,
	         "{\"errors\":[{\"code\":\"00999\",\"detail\":\"Le champ truc est invalide\","
	         "\"source\":{\"parameter\":\"truc\"}}]}",
	         NULL);
	assert_int_equal(r.kind, PA_PARAMS);
	assert_string_equal(r.param, "truc");
	assert_non_null(strstr(r.message, "Le champ truc est invalide"));
	pa_result_free(&r);
	/* v2 400 */
	classify(&r, 400, "{\"error\":\"bad_request\",\"reason\":\"x\",\"message\":\"x\"}", NULL);
	assert_int_equal(r.kind, PA_PARAMS);
	assert_string_equal(r.code, "");
	pa_result_free(&r);
}

static void not_found_any_prefix(void **state)
{
	static const char *const codes[] = {"37003", "23003", "10003", "40003", "35003", ""};
	struct pa_result r;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		v3(&r, 404, codes[i], NULL);
		assert_int_equal(r.kind, PA_NOT_FOUND);
		assert_string_equal(r.code, codes[i]);
		assert_non_null(strstr(r.message, "Vérifiez l'état civil"));
		pa_result_free(&r);
	}
	/* plain text 404: the address is wrong, not the person */
	classify(&r, 404,
	         "Cette URL n'existe pas sur Api particulier, veuillez vérifier votre URL.", NULL);
	assert_int_equal(r.kind, PA_INTERNAL);
	assert_non_null(strstr(r.message, "administrateur"));
	pa_result_free(&r);
	v3(&r, 404, "00402", NULL);
	assert_int_equal(r.kind, PA_INTERNAL);
	pa_result_free(&r);
}

static void token_and_scope(void **state)
{
	struct pa_result r;
	v3(&r, 401, "00101", NULL);
	assert_int_equal(r.kind, PA_TOKEN);
	assert_non_null(strstr(r.message, "administrateur"));
	pa_result_free(&r);
	v3(&r, 401, "00103", NULL);
	assert_int_equal(r.kind, PA_TOKEN);
	assert_non_null(strstr(r.message, "expiré"));
	pa_result_free(&r);
	v3(&r, 401, "00105", NULL);
	assert_non_null(strstr(r.message, "révoqué"));
	pa_result_free(&r);
	classify(&r, 401, "{\"errors\":[\"Votre token est expiré\"]}", NULL); /* v2 flat */
	assert_int_equal(r.kind, PA_TOKEN);
	pa_result_free(&r);
	v3(&r, 403, "00100", NULL);
	assert_int_equal(r.kind, PA_SCOPE);
	assert_non_null(strstr(r.message, "droits"));
	pa_result_free(&r);
	v3(&r, 403, "00107", NULL);
	assert_int_equal(r.kind, PA_SCOPE);
	assert_non_null(strstr(r.message, "adresse IP"));
	pa_result_free(&r);
}

static void conflict_and_gone(void **state)
{
	struct pa_result r;
	v3(&r, 409, "00015", NULL);
	assert_int_equal(r.kind, PA_CONFLICT);
	assert_non_null(strstr(r.message, "réessayez"));
	pa_result_free(&r);
	classify(&r, 410,
	         "L'API Quotient Familial v1 n'est plus disponible depuis le 31/10/2025. Veuillez "
	         "utiliser l'API v2",
	         NULL);
	assert_int_equal(r.kind, PA_GONE);
	assert_string_equal(r.code, "");
	pa_result_free(&r);
}

static void rate_limited(void **state)
{
	struct pa_result r;
	classify(&r, 429, "{\"errors\":[{\"code\":\"00429\",\"title\":\"Trop de requêtes\"}]}",
	         "7");
	assert_int_equal(r.kind, PA_RATE);
	assert_int_equal(r.retry_after, 7);
	assert_string_equal(r.code, "00429");
	assert_non_null(strstr(r.message, "dans 7 secondes"));
	pa_result_free(&r);
	/* an HTTP date */
	char date[64];
	time_t later = time(NULL) + 125;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&later));
	classify(&r, 429, "{\"errors\":[\"Too many requests\"]}", date);
	assert_true(r.retry_after >= 123 && r.retry_after <= 125);
	assert_non_null(strstr(r.message, "3 minutes"));
	pa_result_free(&r);
	/* no header: at least one second */
	classify(&r, 429, "", NULL);
	assert_int_equal(r.retry_after, 1);
	assert_non_null(strstr(r.message, "1 seconde."));
	pa_result_free(&r);
	classify(&r, 429, "", "nonsense");
	assert_int_equal(r.retry_after, 1);
	pa_result_free(&r);
}

static void provider_failures(void **state)
{
	struct pa_result r;
	v3(&r, 502, "37999", NULL);
	assert_int_equal(r.kind, PA_PROVIDER);
	assert_non_null(strstr(r.message, "CAF ou la MSA"));
	assert_non_null(strstr(r.message, "Réessayez"));
	pa_result_free(&r);
	v3(&r, 502, "35008", NULL);
	assert_int_equal(r.kind, PA_PROVIDER);
	pa_result_free(&r);
	classify(
	    &r, 503,
	    "{\"errors\":[{\"code\":\"35020\",\"title\":\"Maintenance\",\"detail\":\"Le "
	    "fournisseur de données est en maintenance de 23:00 à 23:45\",\"meta\":{\"provider\":"
	    "\"CNAF & MSA\",\"retry_in\":900}}]}",
	    NULL);
	assert_int_equal(r.kind, PA_PROVIDER);
	assert_int_equal(r.retry_after, 900);
	assert_non_null(strstr(r.message, "maintenance"));
	assert_non_null(strstr(r.message, "15 minutes"));
	pa_result_free(&r);
	classify(&r, 500, "{}", NULL);
	assert_int_equal(r.kind, PA_PROVIDER);
	pa_result_free(&r);
}

static void provider_timeouts(void **state)
{
	struct pa_result r;
	v3(&r, 504, "37002", NULL);
	assert_int_equal(r.kind, PA_TIMEOUT);
	assert_non_null(strstr(r.message, "pas répondu à temps"));
	pa_result_free(&r);
	classify(&r, 504, "{\"errors\":[{\"code\":\"00501\",\"meta\":{\"retry_in\":30}}]}", NULL);
	assert_int_equal(r.kind, PA_TIMEOUT);
	assert_int_equal(r.retry_after, 30);
	assert_non_null(strstr(r.message, "dans 30 secondes"));
	pa_result_free(&r);
	/* a wait sent as text, past the range of an int: one day at most */
	classify(&r, 503,
	         "{\"errors\":[{\"code\":\"37999\",\"meta\":{\"retry_in\":\"4294967396\"}}]}",
	         NULL);
	assert_int_equal(r.retry_after, 86400);
	pa_result_free(&r);
	v3(&r, 504, "35001", NULL);
	assert_int_equal(r.kind, PA_TIMEOUT);
	pa_result_free(&r);
}

static void odd_bodies(void **state)
{
	static const char *const bodies[] = {
	    "",
	    "{",
	    "null",
	    "[]",
	    "{\"errors\":[]}",
	    "{\"errors\":[1]}",
	    "{\"errors\":[{\"code\":422}]}",
	    "{\"errors\":[{\"code\":\"1234567890123456789012\"}]}",
	    "{\"errors\":[{\"code\":\"00420\",\"source\":{\"parameter\":5},\"meta\":{\"retry_in\":-"
	    "4}}]}",
	};
	static const int statuses[] = {400, 401, 403, 404, 409, 410, 418,
	                               422, 429, 500, 502, 503, 504};
	struct pa_result r;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
			classify(&r, statuses[s], bodies[i], "x");
			assert_int_not_equal(r.kind, PA_OK);
			assert_true(r.retry_after >= 0);
			assert_true(strlen(r.code) < sizeof(r.code));
			pa_result_free(&r);
		}
	/* a numeric code is read too */
	classify(&r, 422, "{\"errors\":[{\"code\":420}]}", NULL);
	assert_string_equal(r.code, "00420");
	assert_string_equal(r.param, "nomNaissance");
	pa_result_free(&r);
	classify(&r, 418, "{}", NULL);
	assert_int_equal(r.kind, PA_INTERNAL);
	assert_non_null(strstr(r.message, "418"));
	pa_result_free(&r);
}

static void result_json(void **state)
{
	struct pa_result r;
	v3(&r, 422, "00420", "nomNaissance");
	snprintf(r.request_id, sizeof(r.request_id), "abc");
	json_t *j = pa_result_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "params");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "00420");
	assert_string_equal(json_string_value(json_object_get(j, "request_id")), "abc");
	assert_string_equal(json_string_value(json_object_get(j, "param")), "nomNaissance");
	assert_string_equal(json_string_value(json_object_get(j, "message")), r.message);
	json_decref(j);
	pa_result_free(&r);
	for (int k = PA_OK; k <= PA_INTERNAL; k++)
		assert_true(strlen(pa_kind_name((enum pa_kind)k)) > 1);
	assert_string_equal(pa_kind_name(PA_NOT_FOUND), "not_found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_parameter_code),
	    cmocka_unit_test(civility_format_and_not_identified),
	    cmocka_unit_test(not_found_any_prefix),
	    cmocka_unit_test(token_and_scope),
	    cmocka_unit_test(conflict_and_gone),
	    cmocka_unit_test(rate_limited),
	    cmocka_unit_test(provider_failures),
	    cmocka_unit_test(provider_timeouts),
	    cmocka_unit_test(odd_bodies),
	    cmocka_unit_test(result_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
