#include "web/dispatch.h"

#include <microhttpd.h>
#include <string.h>

#include "app/access_log.h"
#include "app/auth.h"
#include "app/ratelimit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/utf8.h"
#include "store/db.h"
#include "web/form.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"
#include "web/route.h"
#include "web/server.h"
#include "web/static.h"
#include "web/upload.h"

#define SESSION_COOKIE "cassis_session"

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
	int *bad = cls;
	if (!utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value))))
		*bad = 1;
	return MHD_YES;
}

static int input_is_valid_utf8(struct req *r)
{
	int bad = 0;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad);
	return !bad && utf8_valid(r->path, strlen(r->path)) &&
	       utf8_valid(buf_cstr(&r->body), r->body.len);
}

static int authenticate_page(struct req *r)
{
	const char *cookie = req_cookie(r, SESSION_COOKIE);
	if (!cookie || !r->db)
		return CAS_EAUTH;
	int rc = auth_session(r->db, cookie, &r->who, r->csrf);
	if (rc == 0) {
		r->signed_in = 1;
		snprintf(r->token, sizeof(r->token), "%s", cookie);
	}
	return rc;
}

static int authenticate_api(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	if (!h || strncmp(h, "Bearer ", 7) != 0 || !r->db)
		return CAS_EAUTH;
	int rc = auth_api_key(r->db, h + 7, &r->who);
	if (rc == 0)
		r->signed_in = 1;
	return rc;
}

/* The API key's requests of this minute, counted in the database so that
 * every process counts them all: over server_cfg.api_rate, 429 with
 * Retry-After (the seconds until the minute ends). 0 when the caller may go
 * on; otherwise a response is queued. */
static int check_api_rate(struct req *r)
{
	char key[40], msg[128];
	int retry = 0;
	snprintf(key, sizeof(key), "api:%lld", (long long)r->who.api_key_id);
	int rc = ratelimit_take(r->db, key, server_cfg.api_rate, 60, clock_now(), &retry);
	if (rc == 0)
		return 0;
	if (rc != CAS_ELOCKED) {
		reply_cas_err(r, rc);
		return -1;
	}
	r->retry_after = retry;
	snprintf(msg, sizeof(msg),
	         "Trop de requêtes pour cette clé API : réessayez dans %d seconde%s.", retry,
	         retry > 1 ? "s" : "");
	reply_api_error(r, 429, "rate_limited", msg, NULL);
	return -1;
}

/* 0 when the caller may go on; otherwise a response is queued. */
static int authenticate(struct req *r)
{
	const struct route *rt = r->route;
	if (rt->kind == ROUTE_PUBLIC) {
		authenticate_page(r); /* optional: a signed-in user sees the header */
		return 0;
	}
	int rc = rt->kind == ROUTE_API ? authenticate_api(r) : authenticate_page(r);
	if (rc == CAS_EAUTH && rt->kind == ROUTE_API) {
		reply_api_error(r, 401, "unauthorized", "Clé API absente, inconnue ou révoquée.",
		                NULL);
		return -1;
	}
	if (rc == CAS_EAUTH) {
		reply_redirect_flash(r, "/connexion", "session");
		return -1;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return -1;
	}
	if (rt->kind == ROUTE_API && check_api_rate(r) != 0)
		return -1;
	if (!perm_allows(r->who.role, rt->perm)) {
		reply_cas_err(r, CAS_EPERM);
		return -1;
	}
	return 0;
}

static int parse_body(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	if (r->route->kind == ROUTE_API) {
		if (r->body.len == 0)
			return 0;
		json_error_t e;
		r->json = json_loadb(buf_cstr(&r->body), r->body.len, JSON_REJECT_DUPLICATES, &e);
		if (!r->json || !json_is_object(r->json)) {
			reply_api_error(r, 400, "bad_json",
			                "Le corps de la requête doit être un objet JSON valide.",
			                NULL);
			return -1;
		}
		return 0;
	}
	if (strcmp(r->method, "POST") != 0)
		return 0;
	if (r->upload) { /* parsed while it arrived */
		if (upload_finish(r) == 0)
			return 0;
		reply_error(r, 400, "Le formulaire envoyé est mal formé.");
		return -1;
	}
	if (ct && strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		reply_error(r, 415, "Type de contenu non pris en charge.");
		return -1;
	}
	r->form = form_parse(buf_cstr(&r->body), r->body.len);
	if (!r->form) {
		reply_error(r, 400, "Le formulaire envoyé est mal formé.");
		return -1;
	}
	return 0;
}

static int check_csrf(struct req *r)
{
	if (r->route->kind != ROUTE_PAGE || strcmp(r->method, "POST") != 0)
		return 0;
	if (ct_streq(req_form(r, "csrf"), r->csrf) && r->csrf[0])
		return 0;
	reply_error(r, 403,
	            "Le jeton de sécurité du formulaire est absent ou périmé : rechargez la page "
	            "et recommencez.");
	return -1;
}

void dispatch(struct req *r)
{
	if (!input_is_valid_utf8(r)) {
		reply_error(r, 400, "Encodage invalide : la requête doit être en UTF-8.");
		return;
	}
	if (strncmp(r->path, "/static/", 8) == 0) {
		r->route_label = "/static/*";
		static_serve(r, r->path + 8);
		return;
	}
	int path_known;
	r->route = route_match(r, r->method, r->path, &path_known);
	if (!r->route) {
		r->route_label = "-";
		if (path_known)
			reply_error(r, 405, "Méthode non permise sur cette adresse.");
		else
			reply_not_found(r);
		return;
	}
	r->route_label = r->route->pattern;
	if (r->body_too_big && r->upload) {
		/* the file's form again, with the message (a page: nothing written) */
		if (authenticate(r) == 0)
			upload_too_big(r);
		return;
	}
	if (r->body_too_big) {
		reply_error(r, 413, "La requête dépasse la taille permise (1 Mio).");
		return;
	}
	if (authenticate(r) != 0 || parse_body(r) != 0 || check_csrf(r) != 0)
		return;
	int reading = r->db && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0);
	if (reading)
		db_read_begin(r->db);
	access_log_begin(r->method, r->route->pattern); /* the reads, written after the snapshot */
	r->route->handler(r);
	if (reading)
		db_read_end(r->db);
	access_log_end(r->db);
	if (!r->replied)
		reply_cas_err(r, CAS_EDB);
}
