/* Users administration: the tenant's accounts, their creation, activation
 * and passwords (administrateur). */
#include <stdio.h>
#include <string.h>

#include "app/input.h"
#include "app/users.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define USERS_PATH "/admin/utilisateurs"

/* The state's code ("actif", "desactive", "verrouille") and its French
 * label in label. */
static const char *user_state(json_t *u, int64_t now, char *label, size_t labelsz)
{
	int64_t locked = json_integer_value(json_object_get(u, "locked_until"));
	if (!json_integer_value(json_object_get(u, "active"))) {
		snprintf(label, labelsz, "désactivé");
		return "desactive";
	}
	if (locked > now) {
		char hm[FR_DATETIME_SIZE];
		fr_hour(locked, hm);
		snprintf(label, labelsz, "verrouillé jusqu'à %s", hm);
		return "verrouille";
	}
	snprintf(label, labelsz, "actif");
	return "actif";
}

static json_t *user_row(json_t *u, int64_t self_id, int64_t now)
{
	int64_t id = json_integer_value(json_object_get(u, "id"));
	char state[64];
	const char *code = user_state(u, now, state, sizeof(state));
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)id, "name",
	    input_str(u, "display_name"), "email", input_str(u, "email"), "role_label",
	    role_label(role_from_code(input_str(u, "role"))), "state", state, "state_code", code,
	    "active", json_integer_value(json_object_get(u, "active")) != 0, "self", id == self_id);
}

/* The list and the creation form; errors and values (borrowed) refill the
 * form after a refused creation. */
static void render_users(struct req *r, int status, json_t *errors, json_t *values)
{
	int rc;
	json_t *rows = user_list(r->db, &r->who, r->who.tenant_id, &rc);
	if (!rows) {
		reply_cas_err(r, rc);
		return;
	}
	int64_t now = clock_now();
	json_t *users = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u)
	{
		json_array_append_new(users, user_row(u, r->who.user_id, now));
	}
	json_decref(rows);
	json_t *ctx = json_pack("{s:o, s:o, s:I}", "users", users, "roles",
	                        page_roles_json(input_str(values, "role")), "count",
	                        (json_int_t)json_array_size(users));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "admin/users", "Utilisateurs", ctx);
}

void h_admin_users(struct req *r)
{
	render_users(r, 200, NULL, NULL);
}

void h_admin_user_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = user_create(r->db, &r->who, r->who.tenant_id, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_users(r, 422, errors, values);
		json_decref(values);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, USERS_PATH, "compte_cree");
}

static void set_active(struct req *r, int active)
{
	int rc = user_set_active(r->db, &r->who, r->ids[0], active);
	if (rc == CAS_EPERM && r->ids[0] == r->who.user_id) {
		reply_error(r, 403, "Vous ne pouvez pas désactiver votre propre compte.");
		return;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, USERS_PATH, active ? "compte_reactive" : "compte_desactive");
}

void h_admin_user_deactivate(struct req *r)
{
	set_active(r, 0);
}

void h_admin_user_reactivate(struct req *r)
{
	set_active(r, 1);
}

/* The account r->ids[0] of the actor's tenant, as a new {id, name, email}
 * object; NULL after replying (404 for another tenant's account). */
static json_t *target_user_or_reply(struct req *r)
{
	int rc;
	json_t *rows = user_list(r->db, &r->who, r->who.tenant_id, &rc);
	if (!rows) {
		reply_cas_err(r, rc);
		return NULL;
	}
	json_t *found = NULL;
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u)
	{
		if (json_integer_value(json_object_get(u, "id")) != r->ids[0])
			continue;
		found = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->ids[0], "name",
		                  input_str(u, "display_name"), "email", input_str(u, "email"));
		break;
	}
	json_decref(rows);
	if (!found)
		reply_not_found(r);
	return found;
}

static void render_password(struct req *r, int status, json_t *errors)
{
	json_t *user = target_user_or_reply(r);
	if (!user)
		return;
	json_t *ctx = json_pack("{s:o}", "target", user);
	if (errors)
		page_add_form_errors(ctx, errors, NULL);
	reply_page(r, status, "admin/user_password", "Nouveau mot de passe", ctx);
}

void h_admin_user_password_form(struct req *r)
{
	render_password(r, 200, NULL);
}

void h_admin_user_password(struct req *r)
{
	json_t *errors = NULL;
	int rc = user_reset_password(r->db, &r->who, r->ids[0], req_form(r, "password"), &errors);
	if (rc == CAS_EINVAL && errors) {
		render_password(r, 422, errors);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, USERS_PATH, "mot_de_passe");
}
