/* libFuzzer target: the API Particulier answer readers. The same bytes go
 * to the 200 parser (pa_parse_qf), to the error typing under one HTTP
 * status chosen by the input's size (pa_classify) and to the date reader;
 * the parsed data must keep its documented shape. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "providers/particulier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const top_keys[] = {"quotient_familial", "allocataires", "enfants", "adresse"};

static void check_date(const json_t *d)
{
	if (!d || json_is_null(d))
		return;
	const char *s = json_string_value(d);
	if (!s)
		abort();
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		abort();
}

static void check_people(const json_t *a)
{
	size_t i;
	json_t *p;
	if (!a)
		return;
	if (!json_is_array(a))
		abort();
	json_array_foreach(a, i, p)
	{
		if (!json_is_object(p))
			abort();
		check_date(json_object_get(p, "date_naissance"));
		const json_t *sexe = json_object_get(p, "sexe");
		const char *s = json_string_value(sexe);
		if (sexe && !json_is_null(sexe) &&
		    (!s || (strcmp(s, "F") != 0 && strcmp(s, "M") != 0)))
			abort();
	}
}

static void check_shape(json_t *d)
{
	const char *key;
	json_t *v;
	if (!json_is_object(d))
		abort();
	json_object_foreach(d, key, v)
	{
		int known = 0;
		for (size_t i = 0; i < sizeof(top_keys) / sizeof(top_keys[0]); i++)
			known |= strcmp(key, top_keys[i]) == 0;
		if (!known)
			abort();
	}
	json_t *valeur = json_object_get(json_object_get(d, "quotient_familial"), "valeur");
	if (valeur && !json_is_integer(valeur) && !json_is_null(valeur))
		abort();
	check_people(json_object_get(d, "allocataires"));
	check_people(json_object_get(d, "enfants"));
	const char *all[] = {"cnaf_quotient_familial", "cnaf_allocataires", "cnaf_enfants",
	                     "cnaf_adresse"};
	json_t *m = pa_minimise(d, all, 4);
	if (!json_equal(m, d))
		abort();
	json_decref(m);
	char *text = json_dumps(d, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int statuses[] = {400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504};
	json_t *d = pa_parse_qf((const char *)data, size);
	if (d)
		check_shape(d);
	json_decref(d);

	struct pa_result r;
	memset(&r, 0, sizeof(r));
	r.http_status = statuses[size % (sizeof(statuses) / sizeof(statuses[0]))];
	r.body = xmalloc(size + 1); /* the bytes may hold NULs */
	memcpy(r.body, data, size);
	r.body[size] = '\0';
	r.body_len = size;
	pa_classify(&r, size > 3 ? r.body + size / 2 : NULL);
	if (!r.message || r.kind == PA_OK || r.retry_after < 0)
		abort();
	pa_result_free(&r);

	char *s = xstrndup((const char *)data, size < 64 ? size : 64);
	json_t *date = pa_parse_date(s);
	check_date(date);
	json_decref(date);
	free(s);
	return 0;
}
