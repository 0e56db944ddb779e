/* GET /api/v1/openapi.json: the OpenAPI description of the JSON API, the
 * file docs/openapi.json embedded at build time (scripts/embed.py). */
#include "base/embedded.h"
#include "web/handlers.h"
#include "web/reply.h"

extern const struct embedded_file docs_files[];

void h_api_openapi(struct req *r)
{
	const struct embedded_file *f = embedded_find(docs_files, "openapi.json");
	if (!f) {
		reply_not_found(r);
		return;
	}
	reply_bytes(r, 200, "application/json; charset=utf-8", f->data, f->len, "no-cache");
}
