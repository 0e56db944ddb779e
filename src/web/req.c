#include "web/req.h"

#include <ctype.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

const char *req_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_form(struct req *r, const char *key)
{
	const char *v = r->form ? json_string_value(json_object_get(r->form, key)) : NULL;
	return v ? v : "";
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t req_query_int(struct req *r, const char *key, int64_t def)
{
	const char *v = req_query(r, key);
	if (!v || !*v || !isdigit((unsigned char)*v))
		return def;
	char *end;
	long long n = strtoll(v, &end, 10);
	return (*end || n < 0) ? def : (int64_t)n;
}
