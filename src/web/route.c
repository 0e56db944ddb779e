#include "web/route.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "web/req.h"

/* Matches one pattern; ids receives the {id} values. */
static int match(const char *pat, const char *path, int64_t ids[REQ_MAX_IDS])
{
	int n = 0;
	while (*pat && *path) {
		if (strncmp(pat, "{id}", 4) == 0) {
			if (!isdigit((unsigned char)*path) || *path == '0' || n == REQ_MAX_IDS)
				return 0;
			char *end;
			long long v = strtoll(path, &end, 10);
			if (v <= 0 || (end - path) > 15)
				return 0;
			ids[n++] = v;
			path = end;
			pat += 4;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

const struct route *route_match(struct req *r, const char *method, const char *path,
                                int *path_known)
{
	int64_t ids[REQ_MAX_IDS] = {0};
	*path_known = 0;
	for (const struct route *rt = routes; rt->method; rt++) {
		if (!match(rt->pattern, path, ids))
			continue;
		if (strcmp(rt->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
			memcpy(r->ids, ids, sizeof(ids));
			return rt;
		}
		*path_known = 1;
	}
	return NULL;
}
