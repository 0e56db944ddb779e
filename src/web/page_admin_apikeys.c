/* API keys administration (administrateur): list, creation (the key is
 * shown once, in the response to the POST, never in a URL), revocation. */
#include <string.h>

#include "app/input.h"
#include "app/apikeys.h"
#include "app/perm.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

static json_t *key_row(json_t *k)
{
	char created[FR_DATETIME_SIZE], revoked[FR_DATETIME_SIZE] = "";
	fr_datetime(json_integer_value(json_object_get(k, "created_at")), created);
	json_t *rev = json_object_get(k, "revoked_at");
	if (json_is_integer(rev))
		fr_datetime(json_integer_value(rev), revoked);
	return json_pack("{s:O, s:s, s:s, s:s, s:s, s:s}", "id", json_object_get(k, "id"), "label",
	                 input_str(k, "label"), "role_label",
	                 role_label(role_from_code(input_str(k, "role"))), "prefix",
	                 input_str(k, "prefix"), "created", created, "revoked", revoked);
}

/* The page; extra (stolen, may be NULL) adds the new key or the form's
 * errors and values to the context. */
static void render_keys(struct req *r, int status, json_t *extra, const char *role)
{
	int rc;
	json_t *rows = apikey_list(r->db, &r->who, &rc);
	if (!rows) {
		json_decref(extra);
		reply_cas_err(r, rc);
		return;
	}
	json_t *keys = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(rows, i, k)
	{
		json_array_append_new(keys, key_row(k));
	}
	json_decref(rows);
	json_t *ctx = json_pack("{s:o, s:o}", "keys", keys, "roles", page_roles_json(role));
	if (extra)
		json_object_update(ctx, extra);
	json_decref(extra);
	reply_page(r, status, "admin/apikeys", "Clés API", ctx);
}

void h_admin_apikeys(struct req *r)
{
	render_keys(r, 200, NULL, "");
}

void h_admin_apikey_create(struct req *r)
{
	int64_t id;
	char key[APIKEY_SIZE];
	json_t *errors = NULL;
	int rc = apikey_create(r->db, &r->who, r->form, &id, key, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *extra = json_object();
		json_t *values = json_pack("{s:s}", "label", req_form(r, "label"));
		page_add_form_errors(extra, errors, values);
		json_decref(values);
		json_decref(errors);
		render_keys(r, 422, extra, req_form(r, "role"));
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *extra =
	    json_pack("{s:{s:s, s:s}}", "new_key", "key", key, "label", req_form(r, "label"));
	sodium_memzero(key, sizeof(key));
	render_keys(r, 200, extra, "");
}

void h_admin_apikey_revoke(struct req *r)
{
	int rc = apikey_revoke(r->db, &r->who, r->ids[0]);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, "/admin/cles-api", "revoque");
}
