/* The token cache of API Impôt particulier (providers/impots_token.c), a
 * pure function of the time it is given; the token answer; the key of a
 * credential; and what ip_situation refuses before any network access. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "providers/impots.h"

static int reset(void **state)
{
	ip_token_cache_reset();
	return 0;
}

static void lifetime(void **state)
{
	assert_true(ip_token_lifetime(3600) == 3540.0); /* 60 s margin */
	assert_true(ip_token_lifetime(120) == 90.0);    /* a quarter of short lifetimes */
	assert_true(ip_token_lifetime(4) == 3.0);
	assert_true(ip_token_lifetime(0) == 300.0); /* absent */
	assert_true(ip_token_lifetime(-5) == 300.0);
}

static void cache_expiry(void **state)
{
	assert_null(ip_token_cache_get("k", 1000.0));
	ip_token_cache_put("k", "jeton-1", 3600, 1000.0);
	char *t = ip_token_cache_get("k", 1000.0);
	assert_string_equal(t, "jeton-1");
	free(t);
	t = ip_token_cache_get("k", 1000.0 + 3539.9);
	assert_string_equal(t, "jeton-1");
	free(t);
	assert_null(ip_token_cache_get("k", 1000.0 + 3540.0));
	assert_null(ip_token_cache_get("autre", 1000.0));
	/* a new token replaces the stale one */
	ip_token_cache_put("k", "jeton-2", 100, 5000.0);
	t = ip_token_cache_get("k", 5074.0);
	assert_string_equal(t, "jeton-2");
	free(t);
	assert_null(ip_token_cache_get("k", 5075.0));
}

static void drop_only_the_stale_token(void **state)
{
	ip_token_cache_put("k", "ancien", 3600, 0.0);
	ip_token_cache_drop("k", "autre"); /* refreshed meanwhile: kept */
	char *t = ip_token_cache_get("k", 1.0);
	assert_string_equal(t, "ancien");
	free(t);
	ip_token_cache_drop("k", "ancien");
	assert_null(ip_token_cache_get("k", 1.0));
	ip_token_cache_drop("k", NULL);
	ip_token_cache_drop("inconnue", "x");
}

struct race {
	int id;
};

static void *hammer(void *arg)
{
	struct race *r = arg;
	char key[8], tok[32];
	snprintf(key, sizeof(key), "k%d", r->id % 3);
	for (int i = 0; i < 2000; i++) {
		snprintf(tok, sizeof(tok), "t-%d-%d", r->id, i);
		ip_token_cache_put(key, tok, 60, (double)i);
		char *t = ip_token_cache_get(key, (double)i);
		if (t)
			ip_token_cache_drop(key, t);
		free(t);
	}
	return NULL;
}

static void threads_share_the_cache(void **state)
{
	pthread_t th[6];
	struct race r[6];
	for (int i = 0; i < 6; i++) {
		r[i].id = i;
		pthread_create(&th[i], NULL, hammer, &r[i]);
	}
	for (int i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
	ip_token_cache_put("k0", "fin", 60, 0.0);
	char *t = ip_token_cache_get("k0", 1.0);
	assert_string_equal(t, "fin");
	free(t);
}

static void token_answer(void **state)
{
	char *t;
	long e;
	const char ok[] = "{\"access_token\":\"eyJ4NXQiOiJPVGc0\",\"scope\":\"RessourceIR\","
	                  "\"token_type\":\"Bearer\",\"expires_in\":3600}";
	assert_int_equal(ip_token_parse(ok, strlen(ok), &t, &e), 0);
	assert_string_equal(t, "eyJ4NXQiOiJPVGc0");
	assert_int_equal(e, 3600);
	free(t);
	const char str[] = "{\"access_token\":\"abc\",\"expires_in\":\"120\"}";
	assert_int_equal(ip_token_parse(str, strlen(str), &t, &e), 0);
	assert_int_equal(e, 120);
	free(t);
	const char none[] = "{\"access_token\":\"abc\"}";
	assert_int_equal(ip_token_parse(none, strlen(none), &t, &e), 0);
	assert_int_equal(e, 0);
	free(t);
	static const char *const bad[] = {
	    "",
	    "{}",
	    "{\"access_token\":\"\"}",
	    "{\"access_token\":\"a b\"}",
	    "{\"access_token\":12}",
	    "{\"error\":\"invalid_client\"}",
	    "[\"abc\"]",
	    "{\"access_token\":\"a\\nb\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ip_token_parse(bad[i], strlen(bad[i]), &t, &e), CAS_EINVAL);
		assert_null(t);
	}
}

static void credential_keys(void **state)
{
	struct ip_config a = {
	    .base_url = "http://127.0.0.1:1/", .client_id = "id", .client_secret = "secret"};
	struct ip_config b = a;
	b.base_url = "http://127.0.0.1:1";
	char ka[65], kb[65], kc[65], kq[65];
	ip_credential_key(&a, IP_SCOPE_ANNREV, ka);
	ip_credential_key(&b, IP_SCOPE_ANNREV, kb);
	assert_string_equal(ka, kb); /* same token URL */
	ip_credential_key(&a, IP_SCOPE_DEUXANS, kc);
	assert_string_not_equal(ka, kc);
	ip_credential_key(&a, NULL, kq);
	assert_string_not_equal(ka, kq);
	b.client_secret = "autre";
	ip_credential_key(&b, IP_SCOPE_ANNREV, kb);
	assert_string_not_equal(ka, kb);
	assert_null(strstr(ka, "secret"));
	assert_int_equal(strlen(ka), 64);
}

static void refused_before_network(void **state)
{
	struct ip_config cfg = {
	    .base_url = "http://127.0.0.1:1", .client_id = "id", .client_secret = "secret"};
	struct ip_result r;
	assert_int_equal(ip_situation(&cfg, "12345", 2023, 0, NULL, &r), CAS_EINVAL);
	assert_int_equal(r.kind, IP_BAD_SPI);
	assert_int_equal(r.token_requests, 0);
	assert_int_equal(r.attempts, 0);
	assert_null(r.path);
	ip_result_free(&r);
	assert_int_equal(ip_situation(&cfg, "3999999898230", 0, 0, "n'importe", &r), CAS_EINVAL);
	assert_int_equal(r.kind, IP_BAD_YEAR);
	ip_result_free(&r);
	cfg.client_secret = "";
	assert_int_equal(ip_situation(&cfg, "3999999898230", 2023, 0, NULL, &r), CAS_EAUTH);
	assert_int_equal(r.kind, IP_CREDENTIALS);
	ip_result_free(&r);
	cfg.client_secret = "secret";
	cfg.base_url = "ftp://x";
	ip_situation(&cfg, "3999999898230", 2023, 0, NULL, &r);
	assert_int_equal(r.kind, IP_INTERNAL);
	ip_result_free(&r);
}

static void unreachable_gateway(void **state)
{
	/* port 1 on loopback: connection refused, at the token request */
	struct ip_config cfg = {.base_url = "http://127.0.0.1:1",
	                        .client_id = "id",
	                        .client_secret = "secret",
	                        .quota_per_minute = 6000};
	struct ip_result r;
	assert_int_equal(ip_situation(&cfg, "3999999898230", 0, 0, "2025-08-01", &r), CAS_EIO);
	assert_int_equal(r.kind, IP_NETWORK);
	assert_int_equal(r.year_asked, 2024);
	assert_int_equal(r.token_requests, 1);
	assert_int_equal(r.attempts, 0);
	assert_non_null(strstr(r.message, "authentification"));
	assert_string_equal(r.path, IP_BASE_PATH "/spi/{spi}/situations/ir/assiettes/annrev/2024");
	ip_result_free(&r);
	assert_int_equal(ip_situation(&cfg, "3999999898230", 0, 1, NULL, &r), CAS_EIO);
	assert_string_equal(r.path,
	                    IP_BASE_PATH "/spi/{spi}/dernieresituation/ir/assiettes/deuxans");
	assert_int_equal(r.year_asked, 0);
	ip_result_free(&r);
}

int main(void)
{
	if (crypto_init() != 0)
		return 1;
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(lifetime, reset),
	    cmocka_unit_test_setup(cache_expiry, reset),
	    cmocka_unit_test_setup(drop_only_the_stale_token, reset),
	    cmocka_unit_test_setup(threads_share_the_cache, reset),
	    cmocka_unit_test_setup(token_answer, reset),
	    cmocka_unit_test_setup(credential_keys, reset),
	    cmocka_unit_test_setup(refused_before_network, reset),
	    cmocka_unit_test_setup(unreachable_gateway, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
