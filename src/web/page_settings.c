/* The settings of the CCAS (administrateur): its name, its communes and the
 * colour of its header. The SIRET is shown, not changed: only the platform
 * may change it. The header reads the name and colour from the session, so
 * a change shows on the next page. */
#include <string.h>

#include "app/input.h"
#include "app/tenants.h"
#include "app/workflow.h"
#include "base/err.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_workflow.h"
#include "web/reply.h"
#include "web/req.h"

#define SETTINGS_PATH "/admin/ccas"

/* The page; errors and values (borrowed) refill the form after a refusal,
 * the stored settings fill it otherwise. */
static void render_settings(struct req *r, int status, json_t *errors, json_t *values)
{
	int rc;
	json_t *t = tenant_get_own(r->db, &r->who, &rc);
	if (!t) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *ctx = json_pack("{s:s}", "siret", input_str(t, "siret"));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	else
		json_object_set_new(ctx, "values",
		                    json_pack("{s:s, s:o, s:s}", "name", input_str(t, "name"),
		                              "communes",
		                              page_communes_text(input_str(t, "communes")),
		                              "colour", input_str(t, "colour")));
	if (!errors) /* the instruction settings: page_workflow.c */
		page_workflow_settings_values(r, json_object_get(ctx, "values"));
	json_decref(t);
	reply_page(r, status, "admin/settings", "Paramètres du CCAS", ctx);
}

void h_settings(struct req *r)
{
	render_settings(r, 200, NULL, NULL);
}

void h_settings_update(struct req *r)
{
	json_t *errors = workflow_settings_errors(r->form); /* checked first: app/workflow.h */
	int rc = errors ? CAS_EINVAL : tenant_update(r->db, &r->who, r->form, &errors);
	if (rc == 0)
		rc = workflow_settings_update(r->db, &r->who, r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_settings(r, 422, errors, values);
		json_decref(values);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, SETTINGS_PATH, "enregistre");
}
