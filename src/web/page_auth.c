#include <string.h>

#include "app/auth.h"
#include "base/crypto.h"
#include "base/err.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define LOGIN_COOKIE "cassis_login"

static const char bad_login[] =
    "Adresse électronique ou mot de passe incorrect, ou compte temporairement verrouillé "
    "après plusieurs échecs (réessayez dans 15 minutes).";

/* The sign-in form carries a token matching a short-lived cookie (there is
 * no session yet to hold it). */
static void show_form(struct req *r, int status, const char *email, const char *error)
{
	char token[AUTH_TOKEN_LEN];
	random_token(token, sizeof(token));
	reply_set_cookie(r, LOGIN_COOKIE, token, 3600);
	json_t *ctx = json_pack("{s:s, s:s}", "login_csrf", token, "email", email ? email : "");
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	reply_page(r, status, "login", "Connexion", ctx);
}

void h_login_form(struct req *r)
{
	if (r->signed_in) {
		reply_redirect(r, "/");
		return;
	}
	show_form(r, 200, NULL, NULL);
}

void h_login(struct req *r)
{
	const char *cookie = req_cookie(r, LOGIN_COOKIE);
	if (!cookie || !*cookie || !ct_streq(cookie, req_form(r, "csrf"))) {
		show_form(r, 403, req_form(r, "email"),
		          "Le formulaire a expiré : saisissez à nouveau vos identifiants.");
		return;
	}
	char token[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
	int rc = auth_login(r->db, req_form(r, "email"), req_form(r, "password"),
	                    req_cookie(r, "cassis_session"), token, csrf, &r->who);
	if (rc == CAS_EAUTH) {
		show_form(r, 401, req_form(r, "email"), bad_login);
		return;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_set_cookie(r, "cassis_session", token, AUTH_ABSOLUTE_SECONDS);
	reply_set_cookie(r, LOGIN_COOKIE, "", 0);
	reply_redirect(r, r->who.role == ROLE_PLATEFORME ? "/plateforme" : "/");
}

void h_logout(struct req *r)
{
	int rc = auth_logout(r->db, r->token, &r->who);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_set_cookie(r, "cassis_session", "", 0);
	reply_redirect_flash(r, "/connexion", "deconnecte");
}
