/* The result of an API Impôt particulier consultation: its names, its JSON
 * representation, and its minimisation to the scopes of an aid. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "providers/impots.h"

static const char *const kind_names[] = {
    "ok",        "bad_spi", "bad_year", "bad_request", "no_data", "unknown_spi", "credentials",
    "forbidden", "rate",    "provider", "timeout",     "network", "malformed",   "internal",
};

const char *ip_kind_name(enum ip_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "internal";
	return kind_names[k];
}

void ip_result_free(struct ip_result *r)
{
	if (!r)
		return;
	if (r->body)
		sodium_memzero(r->body, r->body_len);
	free(r->body);
	free(r->path);
	json_decref(r->data);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

static void set_common(json_t *o, const struct ip_result *r)
{
	json_object_set_new(o, "status", json_integer(r->http_status));
	json_object_set_new(o, "correlation_id", json_string(r->correlation_id));
	json_object_set_new(o, "request_id", json_string(r->request_id));
	json_object_set_new(o, "annee_demandee",
	                    r->deux_ans ? json_string("deux_ans") : json_integer(r->year_asked));
}

json_t *ip_result_json(const struct ip_result *r)
{
	json_t *o = json_object();
	if (r->kind == IP_OK) {
		set_common(o, r);
		json_object_set_new(o, "body_sha256", json_string(r->body_sha256));
		json_object_set_new(o, "chemin", json_string(r->path ? r->path : ""));
		json_object_set_new(o, "annee_revenus", json_integer(r->year_answered));
		json_object_set(o, "data", r->data ? r->data : json_null());
		return o;
	}
	json_object_set_new(o, "kind", json_string(ip_kind_name(r->kind)));
	set_common(o, r);
	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "message", json_string(r->message ? r->message : ""));
	if (r->retry_after > 0)
		json_object_set_new(o, "retry_after", json_integer(r->retry_after));
	if (r->http_status)
		json_object_set_new(o, "body_sha256", json_string(r->body_sha256));
	return o;
}

/* ---- minimisation ---- */

struct grant {
	const char *scope;
	const char *key; /* top-level key of the data */
	const char *sub; /* member of that object, NULL: the whole key */
};

static const struct grant grants[] = {
    {"dgfip_rfr", "rfr", NULL},
    {"dgfip_nbpart", "nombre_parts", NULL},
    {"dgfip_sitfam", "situation_famille", NULL},
    {"dgfip_pac_nbPac", "personnes_a_charge", "nombre"},
    {"dgfip_pac", "personnes_a_charge", "detail"},
    {"dgfip_pariso", "parent_isole", NULL},
    {"dgfip_aft", "adresse", NULL},
    {"dgfip_nmNaiDec1", "declarant1", "nom_naissance"},
    {"dgfip_nmUsaDec1", "declarant1", "nom_usage"},
    {"dgfip_prnmDec1", "declarant1", "prenoms"},
    {"dgfip_dateNaisDec1", "declarant1", "date_naissance"},
    {"dgfip_nmNaiDec2", "declarant2", "nom_naissance"},
    {"dgfip_nmUsaDec2", "declarant2", "nom_usage"},
    {"dgfip_prnmDec2", "declarant2", "prenoms"},
    {"dgfip_dateNaisDec2", "declarant2", "date_naissance"},
    {"dgfip_mntRevbareme", "impot_bareme", NULL},
    {"dgfip_rbg", "revenu_brut_global", NULL},
    {"dgfip_montTotIr", "montant_impot", NULL},
    {"dgfip_impAvImput", "impot_avant_corrections", NULL},
    {"dgfip_revImposable", "revenu_imposable", NULL},
    {"dgfip_avis", "date_recouvrement", NULL},
    {"dgfip_avis", "date_etablissement", NULL},
};

static int granted(const char *scope, const char *const *scopes, int nb)
{
	for (int i = 0; i < nb; i++)
		if (scopes[i] && strcmp(scopes[i], scope) == 0)
			return 1;
	return 0;
}

static void copy_grant(json_t *out, const json_t *data, const struct grant *g)
{
	json_t *v = json_object_get(data, g->key);
	if (!v)
		return;
	if (!g->sub) {
		json_object_set_new(out, g->key, json_deep_copy(v));
		return;
	}
	json_t *member = json_object_get(v, g->sub);
	if (!member)
		return;
	json_t *dst = json_object_get(out, g->key);
	if (!dst) {
		dst = json_object();
		json_object_set_new(out, g->key, dst);
	}
	json_object_set_new(dst, g->sub, json_deep_copy(member));
}

json_t *ip_minimise(const json_t *data, const char *const *scopes, int nb)
{
	json_t *out = json_object();
	json_t *year = json_object_get(data, "annee_revenus");
	if (year)
		json_object_set_new(out, "annee_revenus", json_deep_copy(year));
	for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (granted(grants[i].scope, scopes, nb))
			copy_grant(out, data, &grants[i]);
	return out;
}
