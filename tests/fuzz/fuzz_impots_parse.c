/* libFuzzer target: the API Impôt particulier answer readers. The same
 * bytes go to the 200 parser (ip_parse_situation), to the error typing
 * under one HTTP status chosen by the input's size (ip_classify) and to
 * the token answer reader (ip_token_parse); the parsed data must keep its
 * documented shape and survive minimisation with every scope. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "providers/impots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const int_keys[] = {
    "annee_revenus",           "rfr",          "montant_impot",
    "impot_avant_corrections", "impot_bareme", "revenu_imposable",
    "revenu_brut_global",
};
static const char *const obj_keys[] = {"situation_famille", "personnes_a_charge", "adresse",
                                       "declarant1", "declarant2"};
static const char *const str_keys[] = {"nombre_parts", "parent_isole", "date_recouvrement",
                                       "date_etablissement"};
static const char *const all_scopes[] = {
    "dgfip_rfr",       "dgfip_nbpart",       "dgfip_sitfam",       "dgfip_pac_nbPac",
    "dgfip_pac",       "dgfip_aft",          "dgfip_nmNaiDec1",    "dgfip_nmUsaDec1",
    "dgfip_prnmDec1",  "dgfip_dateNaisDec1", "dgfip_nmNaiDec2",    "dgfip_nmUsaDec2",
    "dgfip_prnmDec2",  "dgfip_dateNaisDec2", "dgfip_mntRevbareme", "dgfip_rbg",
    "dgfip_montTotIr", "dgfip_impAvImput",   "dgfip_revImposable", "dgfip_avis",
    "dgfip_pariso"};

static int in_list(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, list[i]) == 0)
			return 1;
	return 0;
}

#define IN(key, list) in_list(key, list, sizeof(list) / sizeof(list[0]))

static void check_date(const json_t *d)
{
	const char *s = json_string_value(d);
	if (!d)
		return;
	if (!s)
		abort();
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		abort();
}

static void check_value(const char *key, const json_t *v)
{
	if (IN(key, int_keys)) {
		if (!json_is_integer(v))
			abort();
	} else if (IN(key, str_keys)) {
		if (!json_is_string(v) || !json_string_length(v))
			abort();
	} else if (IN(key, obj_keys)) {
		if (!json_is_object(v) || json_object_size(v) == 0)
			abort();
	} else {
		abort();
	}
}

static void check_shape(json_t *d)
{
	const char *key;
	json_t *v;
	if (!json_is_object(d))
		abort();
	json_object_foreach(d, key, v) check_value(key, v);
	check_date(json_object_get(d, "date_recouvrement"));
	check_date(json_object_get(json_object_get(d, "declarant1"), "date_naissance"));
	check_date(json_object_get(json_object_get(d, "declarant2"), "date_naissance"));
	const json_t *sf = json_object_get(d, "situation_famille");
	if (sf && !json_is_string(json_object_get(sf, "code")))
		abort();
	json_t *m = ip_minimise(d, all_scopes, (int)(sizeof(all_scopes) / sizeof(all_scopes[0])));
	if (!json_equal(m, d))
		abort();
	json_decref(m);
	char *text = json_dumps(d, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
}

static void classify(const uint8_t *data, size_t size)
{
	static const int statuses[] = {200, 204, 400, 401, 403, 404, 410, 416, 429, 500, 503, 504};
	struct ip_result r;
	memset(&r, 0, sizeof(r));
	r.http_status = statuses[size % (sizeof(statuses) / sizeof(statuses[0]))];
	r.year_asked = 2024;
	r.deux_ans = (int)(size & 1);
	r.body = xmalloc(size + 1); /* the bytes may hold NULs */
	memcpy(r.body, data, size);
	r.body[size] = '\0';
	r.body_len = size;
	ip_classify(&r, size > 3 ? r.body + size / 2 : NULL);
	if (!r.message || r.kind == IP_OK || r.retry_after < 0 || strlen(r.code) >= sizeof(r.code))
		abort();
	json_t *j = ip_result_json(&r);
	json_decref(j);
	ip_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *d = ip_parse_situation((const char *)data, size, (int)(size % 3) * 2023);
	if (d)
		check_shape(d);
	json_decref(d);
	classify(data, size);
	char *token = NULL;
	long expires_in = -1;
	if (ip_token_parse((const char *)data, size, &token, &expires_in) == 0) {
		if (!token || !*token || expires_in < 0)
			abort();
		free(token);
	} else if (token) {
		abort();
	}
	return 0;
}
