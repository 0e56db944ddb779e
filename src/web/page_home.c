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
	reply_page(r, 200, "home", "Tableau de bord", NULL);
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
