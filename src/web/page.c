#include "web/page.h"

#include <stdio.h>
#include <string.h>

#include "app/consultations.h"
#include "app/perm.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/tmpl.h"
#include "web/reply.h"
#include "web/req.h"

extern const struct embedded_file templates_files[];

static struct tmpl_set *templates;

int page_init(void)
{
	char err[256];
	templates = tmpl_set_new();
	if (tmpl_set_add_embedded(templates, templates_files, err, sizeof(err)) != 0 ||
	    tmpl_set_check(templates, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "templates: %s", err);
		return -1;
	}
	return 0;
}

void page_shutdown(void)
{
	tmpl_set_free(templates);
	templates = NULL;
}

struct nav_item {
	const char *href;
	const char *label;
	enum perm perm;
};

static const struct nav_item nav[] = {
    {"/", "Accueil", PERM_PERSON_READ},
    {"/usagers", "Usagers", PERM_PERSON_READ},
    {"/foyers", "Foyers", PERM_HOUSEHOLD_READ},
    {"/dossiers", "Dossiers", PERM_DOSSIER_READ},
    {"/mes-dossiers", "Mes dossiers", PERM_DOSSIER_READ},
    {"/commissions", "Commission", PERM_COMMISSION_READ},
    {"/paiements", "Paiements", PERM_PAYMENT_READ},
    {"/admin/utilisateurs", "Utilisateurs", PERM_USERS_ADMIN},
    {"/admin/aides", "Aides", PERM_AIDS_ADMIN},
    {"/admin/courriers", "Courriers", PERM_LETTER_TEMPLATES},
    {"/admin/budgets", "Budgets", PERM_AIDS_ADMIN},
    {"/admin/cles-api", "Clés API", PERM_APIKEYS_ADMIN},
    {"/admin/ccas", "Paramètres du CCAS", PERM_SETTINGS_ADMIN},
    {"/admin/conservation", "Conservation", PERM_SETTINGS_ADMIN},
    {"/audit", "Journal d'audit", PERM_AUDIT_READ},
    {"/plateforme", "CCAS hébergés", PERM_TENANTS_ADMIN},
};

static int nav_current(const char *path, const char *href)
{
	size_t n = strlen(href);
	if (n == 1)
		return strcmp(path, "/") == 0;
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static json_t *nav_json(struct req *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		if (!perm_allows(r->who.role, nav[i].perm))
			continue;
		json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "href", nav[i].href,
		                                       "label", nav[i].label, "current",
		                                       nav_current(r->path, nav[i].href)));
	}
	return items;
}

/* One-time confirmations, by code: the cookie never carries free text. */
static const char *const flashes[][2] = {
    /* retention (page_retention.c) */
    {"conservation", "Les durées de conservation sont enregistrées ; la prochaine purge les "
                     "appliquera."},
    {"gel_pose", "La conservation du dossier est gelée : il ne sera pas purgé tant que le gel "
                 "dure."},
    {"gel_leve", "Le gel est levé : le dossier sera purgé à sa date de conservation."},
    /* payments and budgets (page_payments.c, page_budgets.c) */
    {"titulaire_ajoute", "Le titulaire du compte est enregistré."},
    {"paiement_prevu", "Le paiement est prévu."},
    {"paiement_mandate", "Le paiement est marqué mandaté."},
    {"paiement_paye", "Le paiement est marqué payé."},
    {"paiement_remis", "La remise de l'aide en nature est enregistrée."},
    {"paiement_annule", "Le paiement prévu est annulé."},
    {"enveloppe", "L'enveloppe budgétaire est enregistrée."},
    {"session", "Votre session a expiré ou vous n'êtes pas connecté : identifiez-vous."},
    {"deconnecte", "Vous êtes déconnecté."},
    {"enregistre", "Les modifications sont enregistrées."},
    {"cree", "La fiche est créée."},
    {"revoque", "La clé est révoquée."},
    {"etat", "L'état du dossier a changé."},
    {"foyer_cree", "Le foyer est créé."},
    {"membre_ajoute", "Le membre est ajouté au foyer."},
    {"membre_sorti", "La sortie du foyer est enregistrée."},
    {"dossier_cree", "Le dossier est ouvert à l'état de brouillon."},
    {"ligne_ajoutee", "La ligne est ajoutée au budget du dossier."},
    {"note_ajoutee", "La note est ajoutée au dossier."},
    {"piece_ajoutee", "La pièce est ajoutée au dossier."},
    {"piece_supprimee", "La pièce est supprimée du dossier."},
    {"pieces_demandees", "La demande de pièces est enregistrée et son courrier produit."},
    {"aide_creee", "L'aide est ajoutée au catalogue."},
    {"aide_desactivee", "L'aide est désactivée : aucun nouveau dossier ne peut l'utiliser."},
    {"aide_reactivee", "L'aide est réactivée."},
    {"aide_importee", "L'aide est importée au catalogue avec ses versions."},
    {"parts_caf", "La table des parts du quotient familial CAF est enregistrée."},
    {"version_creee", "Le brouillon de la nouvelle version est enregistré."},
    {"version_activee", "La version est en vigueur."},
    {"version_retiree", "La version est retirée : elle n'évaluera plus de dossier."},
    {"evaluation_enregistree", "L'évaluation est enregistrée au dossier."},
    {"compte_cree", "Le compte est créé."},
    {"compte_desactive", "Le compte est désactivé ; ses sessions sont fermées."},
    {"compte_reactive", "Le compte est réactivé."},
    {"mot_de_passe", "Le mot de passe est changé ; les sessions du compte sont fermées."},
    {"ccas_cree", "Le CCAS est créé : créez maintenant son compte administrateur."},
    {"admin_cree", "Le compte administrateur est créé."},
    {"caf_ok", "La CAF ou la MSA a répondu : la consultation est enregistrée et signée."},
    {"caf_echec", "La consultation n'a pas abouti ; elle est enregistrée. Voyez le message "
                  "ci-dessous."},
    {"caf_applique", "La composition connue de la CAF est appliquée au foyer."},
    {"caf_rien", "Rien à ajouter : le foyer compte déjà ces enfants."},
    {"donnees_caf", "Les données demandées à la CAF et à la MSA pour cette aide sont "
                    "enregistrées."},
    {"verif_ok", "La CAF ou la MSA et la DGFiP ont répondu : les deux consultations sont "
                 "enregistrées et signées."},
    {"verif_partiel", "Une des deux consultations n'a pas abouti ; les deux sont enregistrées. "
                      "Voyez le message ci-dessous."},
    {"verif_echec", "Aucune des deux consultations n'a abouti ; elles sont enregistrées. "
                    "Voyez les messages ci-dessous."},
    {"donnees_dgfip", "Les données demandées à la DGFiP pour cette aide sont enregistrées."},
    {"courrier_cree", "Le courrier est produit et conservé au dossier."},
    {"modele_courrier", "Le modèle de courrier est enregistré : il servira aux prochains "
                        "courriers."},
    {"modele_defaut", "Le modèle par défaut est rétabli."},
    {"entete_courriers", "L'en-tête des courriers est enregistré."},
    {"commission_creee", "La séance de la commission est créée : inscrivez les dossiers à son "
                         "ordre du jour."},
    {"commission_inscrits", "Les dossiers sont inscrits à l'ordre du jour."},
    {"commission_retire", "Le dossier est retiré de l'ordre du jour."},
    {"commission_decision", "La décision est enregistrée."},
    {"commission_decisions", "Les décisions sont enregistrées."},
    {"commission_close", "La séance est close : le procès-verbal est enregistré."},
    /* rights of the person (page_rights.c) */
    {"personne_effacee", "La personne est effacée : sa fiche, ses appartenances aux foyers et "
                         "ses coordonnées bancaires sont supprimées."},
};

static const char *flash_message(struct req *r)
{
	const char *code = req_cookie(r, "cassis_flash");
	if (!code)
		return NULL;
	reply_set_cookie(r, "cassis_flash", "", 0);
	for (size_t i = 0; i < sizeof(flashes) / sizeof(flashes[0]); i++)
		if (strcmp(code, flashes[i][0]) == 0)
			return flashes[i][1];
	return NULL;
}

static json_t *layout_ctx(struct req *r, const char *title, json_t *ctx)
{
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "csrf", json_string(r->csrf));
	const char *flash = flash_message(r);
	if (flash)
		json_object_set_new(ctx, "flash", json_string(flash));
	if (!r->signed_in)
		return ctx;
	json_object_set_new(ctx, "user",
	                    json_pack("{s:s, s:s, s:s}", "name", r->who.display_name, "email",
	                              r->who.label, "role", role_label(r->who.role)));
	if (r->who.tenant_id && r->db && provider_is_demo(r->db, r->who.tenant_id))
		json_object_set_new(ctx, "demo_env", json_true());
	if (r->who.tenant_id)
		json_object_set_new(
		    ctx, "tenant",
		    json_pack("{s:s, s:s}", "name", r->who.tenant_name, "colour_hex",
		              r->who.tenant_colour + (r->who.tenant_colour[0] == '#')));
	json_object_set_new(ctx, "nav", nav_json(r));
	return ctx;
}

void reply_page(struct req *r, int status, const char *tmpl, const char *title, json_t *ctx)
{
	struct buf out;
	buf_init(&out, 8 * 1024 * 1024);
	ctx = layout_ctx(r, title, ctx ? ctx : json_object());
	int rc = tmpl_render_layout(templates, "layout", tmpl, ctx, &out);
	json_decref(ctx);
	if (rc != 0) {
		log_msg(LOG_ERROR, "render %s failed (%d)", tmpl, rc);
		buf_free(&out);
		reply_bytes(r, 500, "text/plain; charset=utf-8", "Erreur interne.\n", 16, NULL);
		return;
	}
	reply_bytes(r, status, "text/html; charset=utf-8", out.data, out.len, NULL);
	buf_free(&out);
}

void reply_error_page(struct req *r, int status, const char *message)
{
	const char *title = status == 404   ? "Page introuvable"
	                    : status == 403 ? "Accès refusé"
	                    : status >= 500 ? "Erreur du serveur"
	                                    : "Requête refusée";
	reply_page(r, status, "error", title,
	           json_pack("{s:s, s:i}", "message", message, "status", status));
}

void page_add_form_errors(json_t *ctx, json_t *errors, json_t *values)
{
	json_t *list = json_array();
	const char *field;
	json_t *msg;
	json_object_foreach(errors, field, msg)
	{
		json_array_append_new(list,
		                      json_pack("{s:s, s:O}", "field", field, "message", msg));
	}
	json_object_set(ctx, "errors", errors);
	json_object_set_new(ctx, "error_list", list);
	if (values)
		json_object_set(ctx, "values", values);
}

json_t *page_form_values(struct req *r)
{
	json_t *v = r->form ? json_deep_copy(r->form) : json_object();
	json_object_del(v, "password");
	json_object_del(v, "csrf");
	return v;
}

json_t *page_roles_json(const char *selected)
{
	json_t *roles = json_array();
	for (int i = 0; i < ROLE__COUNT; i++) {
		if (!role_is_tenant_role(i))
			continue;
		json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "code", role_code(i),
		                                       "label", role_label(i), "selected",
		                                       strcmp(selected, role_code(i)) == 0));
	}
	return roles;
}

json_t *page_communes_text(const char *codes)
{
	char out[1024];
	size_t o = 0;
	for (const char *p = codes; *p && o + 3 < sizeof(out); p++) {
		out[o++] = *p;
		if (*p == ',')
			out[o++] = ' ';
	}
	out[o] = '\0';
	return json_string(out);
}
