/* The catalogue of aid types (administrateur): list, creation,
 * deactivation and reactivation, the CAF parts table. The pages of one aid
 * are in page_aid_rules.c. */
#include <stdlib.h>
#include <string.h>

#include "app/aid_rules.h"
#include "app/aid_types.h"
#include "base/err.h"
#include "web/aid_pages.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define AIDS_PATH "/admin/aides"

/* The CAF parts table for its form: the stored one, or the text refused. */
static void add_caf_parts(struct req *r, json_t *ctx, json_t *values)
{
	int err;
	char *text = caf_parts_get(r->db, &r->who, &err);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	const char *name = json_string_value(json_object_get(j, "nom"));
	json_object_set_new(ctx, "caf_parts_name",
	                    json_string(!text  ? "CNAF"
	                                : name ? name
	                                       : "propre au CCAS"));
	if (values && json_object_get(values, "caf_parts"))
		json_object_set(ctx, "caf_parts", json_object_get(values, "caf_parts"));
	else
		json_object_set_new(ctx, "caf_parts", json_string(text ? text : ""));
	json_decref(j);
	free(text);
}

void aid_types_render_list(struct req *r, int status, json_t *errors, json_t *values)
{
	int rc;
	json_t *aides = aid_type_list(r->db, &r->who, 0, &rc);
	if (!aides) {
		reply_cas_err(r, rc);
		return;
	}
	size_t i;
	json_t *a;
	json_array_foreach(aides, i, a)
	{
		json_object_set_new(a, "active",
		                    json_boolean(json_integer_value(json_object_get(a, "active"))));
	}
	json_t *ctx =
	    json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(aides), "aides", aides);
	if (errors)
		page_add_form_errors(ctx, errors, values);
	add_caf_parts(r, ctx, values);
	reply_page(r, status, "aid_types/list", "Catalogue des aides", ctx);
}

void h_aid_types(struct req *r)
{
	aid_types_render_list(r, 200, NULL, NULL);
}

void h_aid_type_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = aid_rules_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		aid_types_render_list(r, 422, errors, r->form);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, AIDS_PATH, "aide_creee");
}

void h_aid_type_state(struct req *r)
{
	const char *active = req_form(r, "active");
	if (strcmp(active, "0") != 0 && strcmp(active, "1") != 0) {
		reply_error(r, 400, "État demandé inconnu.");
		return;
	}
	int on = strcmp(active, "1") == 0;
	int rc = aid_type_set_active(r->db, &r->who, r->ids[0], on);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, AIDS_PATH, on ? "aide_reactivee" : "aide_desactivee");
}
