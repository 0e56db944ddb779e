#include <stdio.h>
#include <string.h>

#include "app/home.h"
#include "base/err.h"
#include "store/query.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

void h_home(struct req *r)
{
	if (r->who.role == ROLE_PLATEFORME) {
		reply_redirect(r, "/plateforme");
		return;
	}
	int err;
	json_t *ctx = home_summary(r->db, &r->who, &err);
	if (!ctx) {
		reply_cas_err(r, err);
		return;
	}
	reply_page(r, 200, "home", "Tableau de bord", ctx);
}

void h_healthz(struct req *r)
{
	int64_t one = 0;
	if (!r->db || q_int(r->db, &one, "SELECT 1", "") != 1) {
		reply_json(r, 503,
		           json_pack("{s:s, s:s}", "status", "error", "database", "unreachable"));
		return;
	}
	reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
}

/* The CCAS's colour as a stylesheet (the CSP allows no inline style). The
 * colour is in the URL, so that a browser shared by agents of two CCAS never
 * shows one the other's cached colour. */
void h_theme(struct req *r)
{
	const char *c = req_query(r, "c");
	if (!c || strlen(c) != 6 || strspn(c, "0123456789abcdefABCDEF") != 6) {
		reply_not_found(r);
		return;
	}
	char css[64];
	int n = snprintf(css, sizeof(css), ":root { --cassis-colour: #%s; }\n", c);
	reply_bytes(r, 200, "text/css; charset=utf-8", css, (size_t)n, "public, max-age=86400");
}
