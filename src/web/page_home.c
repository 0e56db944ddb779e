#include <stdio.h>

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
		reply_json(r, 503, json_pack("{s:s, s:s}", "status", "error", "database",
					     "unreachable"));
		return;
	}
	reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
}

/* The CCAS's colour as a stylesheet: the CSP allows no inline style. */
void h_theme(struct req *r)
{
	char css[96];
	const char *c = r->signed_in && r->who.tenant_colour[0] ? r->who.tenant_colour : "#1b5e8c";
	int n = snprintf(css, sizeof(css), ":root { --cassis-colour: %s; }\n", c);
	reply_bytes(r, 200, "text/css; charset=utf-8", css, (size_t)n, "private, max-age=300");
}
