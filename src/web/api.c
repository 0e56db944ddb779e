#include "web/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/reply.h"
#include "web/req.h"

void api_reply_field_errors(struct req *r, json_t *errors)
{
	const char *first = NULL;
	const char *key;
	json_t *v;
	json_object_foreach(errors, key, v)
	{
		first = key;
		break;
	}
	json_t *e = json_pack("{s:s, s:s, s:O}", "code", "invalid", "message",
	                      first ? json_string_value(json_object_get(errors, first))
	                            : "Données invalides.",
	                      "fields", errors);
	if (first)
		json_object_set_new(e, "field", json_string(first));
	reply_json(r, 422, json_pack("{s:o}", "error", e));
}

/* Cursors are "c" followed by the id in hexadecimal: opaque to clients. */
static int parse_cursor(const char *s, int64_t *id)
{
	if (s[0] != 'c' || !s[1] || strlen(s) > 17)
		return -1;
	char *end;
	unsigned long long v = strtoull(s + 1, &end, 16);
	if (*end || v > INT64_MAX)
		return -1;
	*id = (int64_t)v;
	return 0;
}

int api_page_params(struct req *r, int *limit, int64_t *after_id)
{
	*limit = API_PAGE_DEFAULT;
	*after_id = 0;
	const char *l = req_query(r, "limit");
	if (l) {
		char *end;
		long v = strtol(l, &end, 10);
		if (*end || v < 1 || v > API_PAGE_MAX) {
			reply_api_error(r, 400, "bad_limit",
			                "limit doit être compris entre 1 et 200.", "limit");
			return -1;
		}
		*limit = (int)v;
	}
	const char *c = req_query(r, "cursor");
	if (c && parse_cursor(c, after_id) != 0) {
		reply_api_error(r, 400, "bad_cursor", "Curseur de pagination invalide.", "cursor");
		return -1;
	}
	return 0;
}

void api_reply_page(struct req *r, json_t *rows, int limit)
{
	json_t *next = json_null();
	if (json_array_size(rows) > (size_t)limit) {
		json_array_remove(rows, (size_t)limit);
		json_t *last = json_array_get(rows, (size_t)limit - 1);
		char cur[24];
		snprintf(cur, sizeof(cur), "c%llx",
		         (unsigned long long)json_integer_value(json_object_get(last, "id")));
		next = json_string(cur);
	}
	reply_json(r, 200, json_pack("{s:o, s:o}", "data", rows, "next_cursor", next));
}
