/* The audit log of the tenant (administrateur, auditeur): newest first, 50
 * entries a page, filtered by object type and id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "base/json_alloc.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define AUDIT_PAGE 50

struct code_label {
	const char *code;
	const char *label;
};

static const struct code_label object_types[] = {
    {"person", "Usager"},
    {"household", "Foyer"},
    {"dossier", "Dossier"},
    {"user", "Compte"},
    {"api_key", "Clé API"},
    {"aid_type", "Type d'aide"},
    {"tenant", "CCAS"},
    /* payments, budgets, exports (app/payments.c, app/budgets.c, app/exports.c) */
    {"payee", "Titulaire de compte"},
    {"payment", "Paiement"},
    {"budget", "Enveloppe budgétaire"},
    {"dossiers", "Liste des dossiers"},
    {"paiements", "Liste des paiements"},
    {"tresorerie", "Fichier de trésorerie"},
    /* pièces justificatives (app/documents.c) */
    {"document", "Pièce justificative"},
    {"document_request", "Demande de pièces"},
    /* retention (app/purge.c) */
    {"purge", "Purge des données"},
};

static const struct code_label actions[] = {
    {"creation", "Création"},
    {"telechargement", "Téléchargement"},
    {"modification", "Modification"},
    {"suppression", "Suppression"},
    {"connexion", "Connexion"},
    {"deconnexion", "Déconnexion"},
    {"echec_connexion", "Échec de connexion"},
    {"verrouillage", "Verrouillage du compte"},
    {"mot_de_passe", "Changement de mot de passe"},
    {"desactivation", "Désactivation"},
    {"reactivation", "Réactivation"},
    {"revocation", "Révocation"},
    {"consultation", "Consultation d'API Particulier"},
    {"export", "Export"},
    {"mandatement", "Mandatement"},
    {"paiement", "Paiement"},
    {"remise", "Remise"},
    {"annulation", "Annulation"},
    {"allocation", "Allocation budgétaire"},
    /* retention (app/retention.c, app/purge.c) */
    {"gel_conservation", "Gel de la conservation"},
    {"levee_gel", "Levée du gel"},
    {"purge", "Purge des données échues"},
};

static const char *label_of(const struct code_label *t, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].label;
	return code;
}

#define LABEL(table, code) label_of(table, sizeof(table) / sizeof(table[0]), code)

/* An object type from the query string: letters and '_' only, else NULL. */
static const char *type_param(struct req *r)
{
	const char *t = req_query(r, "type");
	if (!t || !*t || strlen(t) > 40 || strspn(t, "abcdefghijklmnopqrstuvwxyz_") != strlen(t))
		return NULL;
	return t;
}

/* One value of a change, as text: "—" for none, "oui"/"non" for booleans. */
static void value_text(json_t *v, struct buf *out)
{
	if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v))) {
		buf_puts(out, "—");
	} else if (json_is_string(v)) {
		buf_puts(out, json_string_value(v));
	} else if (json_is_boolean(v)) {
		buf_puts(out, json_is_true(v) ? "oui" : "non");
	} else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_puts(out, s ? s : "");
		json_free_text(s);
	}
}

/* The changes JSON text as [{field, old, new}] (old/new as text). */
static json_t *changes_list(const char *text)
{
	json_t *list = json_array();
	json_t *changes = json_loads(text ? text : "{}", 0, NULL);
	const char *field;
	json_t *pair;
	json_object_foreach(changes, field, pair)
	{
		struct buf o, n;
		buf_init(&o, 4096);
		buf_init(&n, 4096);
		if (json_is_array(pair) && json_array_size(pair) == 2) {
			value_text(json_array_get(pair, 0), &o);
			value_text(json_array_get(pair, 1), &n);
		} else {
			value_text(pair, &n);
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "field", field, "old",
		                                      buf_cstr(&o), "new", buf_cstr(&n)));
		buf_free(&o);
		buf_free(&n);
	}
	json_decref(changes);
	return list;
}

/* The page of an object, for the types that have one. */
static const char *object_href(const char *type)
{
	if (strcmp(type, "person") == 0)
		return "/usagers/";
	if (strcmp(type, "household") == 0)
		return "/foyers/";
	if (strcmp(type, "dossier") == 0)
		return "/dossiers/";
	return NULL;
}

static json_t *entry_row(json_t *e)
{
	char at[FR_DATETIME_SIZE];
	fr_datetime(json_integer_value(json_object_get(e, "at")), at);
	const char *type = json_string_value(json_object_get(e, "object_type"));
	const char *action = json_string_value(json_object_get(e, "action"));
	const char *actor = json_string_value(json_object_get(e, "actor_label"));
	json_t *oid = json_object_get(e, "object_id");
	json_t *changes = changes_list(json_string_value(json_object_get(e, "changes")));
	json_t *row = json_pack("{s:O, s:s, s:s, s:s, s:s, s:b, s:o}", "id",
	                        json_object_get(e, "id"), "at", at, "actor", actor ? actor : "",
	                        "action", LABEL(actions, action ? action : ""), "type",
	                        LABEL(object_types, type ? type : ""), "has_changes",
	                        json_array_size(changes) > 0, "changes", changes);
	if (json_is_integer(oid)) {
		json_object_set(row, "object_id", oid);
		const char *href = object_href(type ? type : "");
		if (href)
			json_object_set_new(
			    row, "href",
			    json_sprintf("%s%" JSON_INTEGER_FORMAT, href, json_integer_value(oid)));
	}
	return row;
}

static json_t *types_json(const char *selected)
{
	json_t *types = json_array();
	for (size_t i = 0; i < sizeof(object_types) / sizeof(object_types[0]); i++)
		json_array_append_new(
		    types, json_pack("{s:s, s:s, s:b}", "code", object_types[i].code, "label",
		                     object_types[i].label, "selected",
		                     selected && !strcmp(selected, object_types[i].code)));
	return types;
}

/* The address of a page of the log with the same filters (before 0: the
 * newest entries). Filter values are checked tokens and numbers: nothing to
 * encode. */
static json_t *page_href(const char *type, int64_t object_id, int64_t before)
{
	char q[128];
	int n = snprintf(q, sizeof(q), "/audit");
	char sep = '?';
	if (before) {
		n += snprintf(q + n, sizeof(q) - (size_t)n, "%cavant=%lld", sep, (long long)before);
		sep = '&';
	}
	if (type) {
		n += snprintf(q + n, sizeof(q) - (size_t)n, "%ctype=%s", sep, type);
		sep = '&';
	}
	if (object_id)
		snprintf(q + n, sizeof(q) - (size_t)n, "%cobjet=%lld", sep, (long long)object_id);
	return json_string(q);
}

void h_audit(struct req *r)
{
	const char *type = type_param(r);
	int64_t object_id = req_query_int(r, "objet", 0);
	int64_t before = req_query_int(r, "avant", 0);
	int rc;
	json_t *rows = audit_list(r->db, &r->who, type, object_id, before, AUDIT_PAGE + 1, &rc);
	if (!rows) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *entries = json_array();
	int64_t last = 0;
	for (size_t i = 0; i < json_array_size(rows) && i < AUDIT_PAGE; i++) {
		json_t *e = json_array_get(rows, i);
		last = json_integer_value(json_object_get(e, "id"));
		json_array_append_new(entries, entry_row(e));
	}
	int more = json_array_size(rows) > AUDIT_PAGE;
	json_decref(rows);
	json_t *ctx = json_pack("{s:o, s:o}", "entries", entries, "types", types_json(type));
	if (object_id)
		json_object_set_new(ctx, "objet", json_integer(object_id));
	if (before)
		json_object_set_new(ctx, "newest_href", page_href(type, object_id, 0));
	if (more)
		json_object_set_new(ctx, "older_href", page_href(type, object_id, last));
	reply_page(r, 200, "audit", "Journal d'audit", ctx);
}
