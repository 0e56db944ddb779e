#include "web/static.h"

#include <string.h>

#include "base/embedded.h"
#include "web/reply.h"
#include "web/req.h"

extern const struct embedded_file static_files[];

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	return "application/octet-stream";
}

void static_serve(struct req *r, const char *name)
{
	const struct embedded_file *f = embedded_find(static_files, name);
	if (!f || (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) {
		reply_bytes(r, 404, "text/plain; charset=utf-8", "Introuvable.\n", 13, NULL);
		return;
	}
	reply_bytes(r, 200, content_type(name), f->data, f->len, "public, max-age=3600");
}
