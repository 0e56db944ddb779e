/* Typing of API Impôt particulier errors (providers/impots_errors.c): the
 * HTTP status and the DGFiP code decide; every kind has a French message
 * telling the agent what to do; the JSON form of a result. */
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
#include "providers/impots.h"

static void classify(struct ip_result *r, int status, const char *body, const char *retry_after)
{
	memset(r, 0, sizeof(*r));
	r->http_status = status;
	r->year_asked = 2024;
	r->body = xstrdup(body);
	r->body_len = strlen(body);
	ip_classify(r, retry_after);
	assert_non_null(r->message);
	assert_true(strlen(r->message) > 40);
}

static void dgfip(struct ip_result *r, int status, const char *code)
{
	char body[256];
	snprintf(
	    body, sizeof(body),
	    "{\"erreur\":{\"code\":%s,\"message\":\"m\",\"horodatage\":\"2024-01-20T13:03:01\"}}",
	    code);
	classify(r, status, body, NULL);
}

struct code_case {
	int status;
	const char *code;
	enum ip_kind kind;
	const char *word; /* the message says what to do about it */
};

static void documented_codes(void **state)
{
	static const struct code_case cases[] = {
	    {400, "4001", IP_BAD_SPI, "numéro fiscal"},
	    {400, "\"4001\"", IP_BAD_SPI, "13 chiffres"},
	    {400, "4002", IP_BAD_YEAR, "2024"},
	    {400, "4007", IP_BAD_REQUEST, "mal formée"},
	    {403, "4031", IP_FORBIDDEN, "habilitation"},
	    {410, "4101", IP_NO_DATA, "revenus 2024"},
	    {410, "4102", IP_UNKNOWN_SPI, "déclarant"},
	    {404, "4101", IP_NO_DATA, "année précédente"},
	    {404, "4102", IP_UNKNOWN_SPI, "aucun contribuable"},
	    {416, "4101", IP_NO_DATA, "aucune donnée"},
	    {500, "5000", IP_PROVIDER, "erreur 500"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ip_result r;
		dgfip(&r, cases[i].status, cases[i].code);
		if (r.kind != cases[i].kind || !strstr(r.message, cases[i].word))
			fail_msg("%d %s: %s / %s", cases[i].status, cases[i].code,
			         ip_kind_name(r.kind), r.message);
		assert_string_equal(r.code, cases[i].code[0] == '"' ? "4001" : cases[i].code);
		ip_result_free(&r);
	}
}

static void bodies_without_code(void **state)
{
	struct ip_result r;
	classify(&r, 204, "", NULL);
	assert_int_equal(r.kind, IP_NO_DATA);
	ip_result_free(&r);
	classify(&r, 404, "", NULL);
	assert_int_equal(r.kind, IP_NO_DATA);
	ip_result_free(&r);
	classify(&r, 410, "gone", NULL);
	assert_int_equal(r.kind, IP_NO_DATA);
	ip_result_free(&r);
	/* the real 400 seen in production had only a message */
	classify(&r, 400, "{\"erreur\":{\"message\":\"format SPI incorrect\"}}", NULL);
	assert_int_equal(r.kind, IP_BAD_SPI);
	assert_string_equal(r.code, "");
	ip_result_free(&r);
	classify(&r, 403, "<html>Forbidden</html>", NULL);
	assert_int_equal(r.kind, IP_FORBIDDEN);
	ip_result_free(&r);
	classify(&r, 401, "{\"fault\":{\"code\":900901,\"message\":\"Invalid Credentials\"}}",
	         NULL);
	assert_int_equal(r.kind, IP_CREDENTIALS);
	assert_string_equal(r.code, "900901");
	ip_result_free(&r);
}

static void wrong_address(void **state)
{
	struct ip_result r;
	classify(&r, 404, "<html><body>Not Found</body></html>", NULL);
	assert_int_equal(r.kind, IP_INTERNAL);
	assert_non_null(strstr(r.message, "adresse"));
	ip_result_free(&r);
	classify(&r, 404, "{\"fault\":{\"code\":404,\"message\":\"No matching resource\"}}", NULL);
	assert_int_equal(r.kind, IP_INTERNAL);
	ip_result_free(&r);
}

static void deux_ans_message(void **state)
{
	struct ip_result r;
	memset(&r, 0, sizeof(r));
	r.http_status = 410;
	r.deux_ans = 1;
	r.body = xstrdup("{\"erreur\":{\"code\":4101}}");
	r.body_len = strlen(r.body);
	ip_classify(&r, NULL);
	assert_int_equal(r.kind, IP_NO_DATA);
	assert_non_null(strstr(r.message, "deux dernières années"));
	ip_result_free(&r);
}

static void rate_limited(void **state)
{
	struct ip_result r;
	classify(&r, 429, "{\"fault\":{\"code\":900802,\"message\":\"Message throttled out\"}}",
	         "17");
	assert_int_equal(r.kind, IP_RATE);
	assert_int_equal(r.retry_after, 17);
	assert_non_null(strstr(r.message, "17 secondes"));
	ip_result_free(&r);
	classify(&r, 429, "", NULL);
	assert_int_equal(r.retry_after, 60);
	ip_result_free(&r);
	char date[64];
	time_t later = time(NULL) + 120;
	struct tm tm;
	gmtime_r(&later, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	classify(&r, 429, "", date);
	assert_in_range(r.retry_after, 110, 121);
	ip_result_free(&r);
	classify(&r, 429, "", "999999999");
	assert_int_equal(r.retry_after, 86400);
	ip_result_free(&r);
}

static void provider_failures(void **state)
{
	struct ip_result r;
	classify(&r, 503, "", "30");
	assert_int_equal(r.kind, IP_PROVIDER);
	assert_int_equal(r.retry_after, 30);
	assert_non_null(strstr(r.message, "30 secondes"));
	ip_result_free(&r);
	classify(&r, 502, "<html>", NULL);
	assert_int_equal(r.kind, IP_PROVIDER);
	assert_non_null(strstr(r.message, "quelques minutes"));
	ip_result_free(&r);
	classify(&r, 504, "", NULL);
	assert_int_equal(r.kind, IP_TIMEOUT);
	ip_result_free(&r);
	classify(&r, 418, "", NULL);
	assert_int_equal(r.kind, IP_INTERNAL);
	assert_non_null(strstr(r.message, "418"));
	ip_result_free(&r);
	classify(&r, 200, "{\"rfr\":", NULL); /* a 200 that did not parse */
	assert_int_equal(r.kind, IP_MALFORMED);
	ip_result_free(&r);
}

static void result_json(void **state)
{
	struct ip_result r;
	memset(&r, 0, sizeof(r));
	r.kind = IP_OK;
	r.http_status = 200;
	r.year_asked = 2023;
	r.year_answered = 2023;
	snprintf(r.correlation_id, sizeof(r.correlation_id), "%s",
	         "0b4e7c2a-9d1f-4c3e-8a5b-6f7e8d9c0a1b");
	r.path = xstrdup(IP_BASE_PATH "/spi/{spi}/situations/ir/assiettes/annrev/2023");
	r.data = json_pack("{s:i}", "rfr", 12000);
	json_t *j = ip_result_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "annee_revenus")), 2023);
	assert_string_equal(json_string_value(json_object_get(j, "chemin")), r.path);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "data"), "rfr")),
	                 12000);
	assert_null(json_object_get(j, "kind"));
	json_decref(j);
	ip_result_free(&r);

	classify(&r, 429, "", "5");
	j = ip_result_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "rate");
	assert_int_equal(json_integer_value(json_object_get(j, "retry_after")), 5);
	assert_int_equal(json_integer_value(json_object_get(j, "annee_demandee")), 2024);
	assert_non_null(json_object_get(j, "body_sha256"));
	assert_null(json_object_get(j, "data"));
	json_decref(j);
	ip_result_free(&r);

	memset(&r, 0, sizeof(r));
	r.kind = IP_NETWORK;
	r.deux_ans = 1;
	j = ip_result_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "annee_demandee")), "deux_ans");
	assert_null(json_object_get(j, "body_sha256"));
	assert_string_equal(json_string_value(json_object_get(j, "message")), "");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(documented_codes), cmocka_unit_test(bodies_without_code),
	    cmocka_unit_test(wrong_address),    cmocka_unit_test(deux_ans_message),
	    cmocka_unit_test(rate_limited),     cmocka_unit_test(provider_failures),
	    cmocka_unit_test(result_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
