#include "web/reply.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_alloc.h"
#include "base/arena.h"
#include "base/err.h"
#include "web/page.h"
#include "web/req.h"
#include "web/route.h"
#include "web/server.h"

static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; object-src 'none'";

static void add_common_headers(struct req *r, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Request-Id", r->id);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->retry_after > 0) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", secs);
	}
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
}

static void queue(struct req *r, int status, struct MHD_Response *resp)
{
	add_common_headers(r, resp);
	MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	r->replied = 1;
}

void reply_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len,
                 const char *cache_control)
{
	if (r->replied)
		return;
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", content_type);
	MHD_add_response_header(resp, "Cache-Control", cache_control ? cache_control : "no-store");
	queue(r, status, resp);
}

void reply_download(struct req *r, const char *content_type, const char *filename, const void *data,
                    size_t len)
{
	if (r->replied)
		return;
	char name[128], header[160];
	size_t n = 0;
	for (const char *p = filename; *p && n < sizeof(name) - 1; p++, n++)
		name[n] = strchr("-_.", *p) || (*p >= '0' && *p <= '9') ||
		                  (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		              ? *p
		              : '_';
	name[n] = '\0';
	snprintf(header, sizeof(header), "attachment; filename=\"%s\"", name);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", content_type);
	MHD_add_response_header(resp, "Content-Disposition", header);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	queue(r, 200, resp);
}

void reply_json(struct req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text) {
		reply_bytes(r, 500, "application/json", "{}", 2, NULL);
		return;
	}
	reply_bytes(r, status, "application/json; charset=utf-8", text, strlen(text), NULL);
	json_free_text(text);
}

void reply_api_error(struct req *r, int status, const char *code, const char *message,
                     const char *field)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (field)
		json_object_set_new(e, "field", json_string(field));
	reply_json(r, status, json_pack("{s:o}", "error", e));
}

void reply_redirect(struct req *r, const char *location)
{
	if (r->replied)
		return;
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Location", location);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	queue(r, 303, resp);
}

void reply_redirect_flash(struct req *r, const char *location, const char *flash_code)
{
	reply_set_cookie(r, "cassis_flash", flash_code, 60);
	reply_redirect(r, location);
}

static const char *status_code_name(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "payload_too_large";
	case 422: return "invalid";
	default: return "internal_error";
	}
}

/* API callers get JSON errors, also for an address or a method the API does
 * not have. */
static int wants_json(struct req *r)
{
	if (r->route)
		return r->route->kind == ROUTE_API;
	return r->path && strncmp(r->path, "/api/", 5) == 0;
}

void reply_error(struct req *r, int status, const char *message)
{
	if (wants_json(r))
		reply_api_error(r, status, status_code_name(status), message, NULL);
	else
		reply_error_page(r, status, message);
}

void reply_not_found(struct req *r)
{
	reply_error(r, 404, "Cette page ou cet objet n'existe pas.");
}

void reply_cas_err(struct req *r, int err)
{
	switch (err) {
	case CAS_ENOTFOUND: reply_not_found(r); break;
	case CAS_EPERM: reply_error(r, 403, "Votre rôle ne permet pas cette action."); break;
	case CAS_ECONFLICT:
		reply_error(r, 409,
		            "Cette modification entre en conflit avec les données existantes.");
		break;
	case CAS_EINVAL: reply_error(r, 422, "Les données envoyées sont invalides."); break;
	case CAS_ETOOBIG: reply_error(r, 413, "La requête est trop volumineuse."); break;
	default:
		reply_error(r, 500, "Erreur interne : réessayez, puis prévenez l'administrateur.");
		break;
	}
}

void reply_set_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	if (r->ncookies == 4)
		return;
	r->cookies[r->ncookies++] =
	    arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", name,
	                 value, max_age, server_cfg.secure_cookies ? "; Secure" : "");
}
