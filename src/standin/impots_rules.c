#include "standin/impots_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"

#define MAX_NAME 64

static const struct {
	const char *name;
	unsigned bit;
} resources[] = {
    {"RessourceIR", IMR_RES_IR},
    {"RessourceIRDerniere", IMR_RES_DERNIERE},
    {"RessourceIRDerniere2", IMR_RES_DERNIERE2},
    {"RessourceIRFacture", IMR_RES_FACTURE},
    {"RessourceIRMultiple", IMR_RES_MULTIPLE},
    {"RessourceIFI", IMR_RES_IFI},
    {"RessourceTHPrincipale", IMR_RES_TH},
    {"RessourceLEP", IMR_RES_LEP},
};
#define NB_RESOURCES (sizeof(resources) / sizeof(resources[0]))

/* The year ticks of DataPass: bit of N-k, and the resource they give. */
static const struct {
	const char *name;
	unsigned year_bit;
	unsigned resource;
} year_ticks[] = {
    {"dgfip_annee_n_moins_1", 1u << 1, IMR_RES_IR},
    {"dgfip_annee_n_moins_2", 1u << 2, IMR_RES_IR},
    {"dgfip_annee_n_moins_3", 1u << 3, IMR_RES_IR},
    {"dgfip_annee_n_moins_2_si_indispo_n_moins_1", 0, IMR_RES_DERNIERE2},
    {"dgfip_annee_df_au_3112_si_deces_ctb_mp", 0, IMR_RES_DERNIERE},
};

/* The data ticks (DataPass scopes, and Cassis names of the avis data that
 * need a specific request) and the keys of the answer they grant,
 * separated by spaces. "" grants nothing in these resources. */
static const struct {
	const char *name;
	const char *keys;
} data_ticks[] = {
    {"dgfip_rfr", "rfr"},
    {"dgfip_nbpart", "nbPart"},
    {"dgfip_sitfam", "sitFam"},
    {"dgfip_pac_nbPac", "pac.nbPac"},
    {"dgfip_pac", "pac"},
    {"dgfip_pariso", "sitParIso"},
    {"dgfip_aft", "aft aftDetail"},
    {"dgfip_nmNaiDec1", "nmNaiDec1"},
    {"dgfip_nmUsaDec1", "nmUsaDec1"},
    {"dgfip_prnmDec1", "prnmDec1"},
    {"dgfip_dateNaisDec1", "dateNaisDec1 dptNaissDec1 lieuNaissDec1"},
    {"dgfip_nmNaiDec2", "nmNaiDec2"},
    {"dgfip_nmUsaDec2", "nmUsaDec2"},
    {"dgfip_prnmDec2", "prnmDec2"},
    {"dgfip_dateNaisDec2", "dateNaisDec2 dptNaissDec2 lieuNaissDec2"},
    {"dgfip_inddeficit", "indDeficit"},
    {"dgfip_mntRevbareme", "mntRevbareme"},
    {"dgfip_rbg", "revenuBrutGlobal"},
    {"dgfip_montTotIr", "montTotIr"},
    {"dgfip_impAvImput", "impAvImput"},
    {"dgfip_revImposable", "revImposable"},
    {"dgfip_avis", "datRec datEtab numRole"},
    {"dgfip_indiIFI", ""},
    {"dgfip_IndLep", ""},
};

/* Every key of the answer (SituationsIRAssiettesMillesimeJAXBbean). */
static const char *const answer_keys[] = {
    "rfr",
    "sitFam",
    "nbPart",
    "pac",
    "nmNaiDec1",
    "nmUsaDec1",
    "prnmDec1",
    "dateNaisDec1",
    "dptNaissDec1",
    "lieuNaissDec1",
    "nmNaiDec2",
    "nmUsaDec2",
    "prnmDec2",
    "dateNaisDec2",
    "dptNaissDec2",
    "lieuNaissDec2",
    "aft",
    "aftDetail",
    "sitParIso",
    "pensAlPer",
    "indDeficit",
    "revenuBrutGlobal",
    "sitPart",
    "sitParDeclaree",
    "indOptionImpotSepar",
    "mntRevbareme",
    "datRec",
    "datEtab",
    "impAvImput",
    "montTotIr",
    "revImposable",
    "numRole",
    "fipNum",
    "rev",
};

/* ---- habilitation ------------------------------------------------------ */

void imr_hab_all(struct imr_hab *out)
{
	memset(out, 0, sizeof(*out));
	out->all = 1;
	out->resources = IMR_RES_ALL;
}

void imr_hab_free(struct imr_hab *h)
{
	for (int i = 0; i < h->nkeys; i++)
		free(h->keys[i]);
	free(h->keys);
	memset(h, 0, sizeof(*h));
}

static int has_key(const struct imr_hab *h, const char *key)
{
	for (int i = 0; i < h->nkeys; i++)
		if (strcmp(h->keys[i], key) == 0)
			return 1;
	return 0;
}

static void add_key(struct imr_hab *h, const char *key, size_t len)
{
	char k[MAX_NAME];
	snprintf(k, sizeof(k), "%.*s", (int)len, key);
	if (!*k || has_key(h, k))
		return;
	h->keys = xrealloc(h->keys, (size_t)(h->nkeys + 1) * sizeof(char *));
	h->keys[h->nkeys++] = xstrdup(k);
}

static void add_keys(struct imr_hab *h, const char *list)
{
	while (*list) {
		size_t n = strcspn(list, " ");
		add_key(h, list, n);
		list += n + (list[n] == ' ');
	}
}

unsigned imr_resource_bit(const char *name)
{
	for (size_t i = 0; i < NB_RESOURCES; i++)
		if (strcmp(resources[i].name, name) == 0)
			return resources[i].bit;
	return 0;
}

/* Applies one name; *derived collects the resources of the year ticks,
 * *ticks counts them. 0 or CAS_EINVAL when the name is unknown. */
static int apply_name(struct imr_hab *h, const char *name, unsigned *derived, int *ticks)
{
	unsigned bit = imr_resource_bit(name);
	if (bit) {
		h->resources |= bit;
		return 0;
	}
	for (size_t i = 0; i < sizeof(year_ticks) / sizeof(year_ticks[0]); i++)
		if (strcmp(year_ticks[i].name, name) == 0) {
			h->years |= year_ticks[i].year_bit;
			*derived |= year_ticks[i].resource;
			(*ticks)++;
			return 0;
		}
	for (size_t i = 0; i < sizeof(data_ticks) / sizeof(data_ticks[0]); i++)
		if (strcmp(data_ticks[i].name, name) == 0) {
			add_keys(h, data_ticks[i].keys);
			return 0;
		}
	for (size_t i = 0; i < sizeof(answer_keys) / sizeof(answer_keys[0]); i++)
		if (strcmp(answer_keys[i], name) == 0) {
			add_key(h, name, strlen(name));
			return 0;
		}
	return CAS_EINVAL;
}

static int is_separator(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r';
}

int imr_hab_parse(const char *text, struct imr_hab *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof(*out));
	unsigned derived = 0;
	int ticks = 0;
	const char *p = text ? text : "";
	while (*p) {
		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (is_separator(*p)) {
			p++;
			continue;
		}
		size_t n = 0;
		while (p[n] && !is_separator(p[n]) && p[n] != '#')
			n++;
		char name[MAX_NAME];
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (n >= sizeof(name) || apply_name(out, name, &derived, &ticks) != 0) {
			snprintf(err, errsz,
			         "habilitation : « %s » n'est ni un droit DataPass, ni "
			         "une ressource, ni une donnée de la réponse",
			         name);
			imr_hab_free(out);
			return CAS_EINVAL;
		}
		p += n;
	}
	if (!out->resources)
		out->resources = ticks ? derived : IMR_RES_ALL;
	return 0;
}

void imr_hab_filter(const struct imr_hab *h, json_t *situation)
{
	if (h->all || !json_is_object(situation))
		return;
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(situation, tmp, key, v)
	{
		if (strcmp(key, "annRevenu") == 0 || has_key(h, key))
			continue;
		if (strcmp(key, "pac") == 0 && has_key(h, "pac.nbPac") && json_is_object(v)) {
			json_t *total = json_object_get(v, "nbPac");
			json_object_set_new(situation, "pac",
			                    total ? json_pack("{s:O}", "nbPac", total)
			                          : json_object());
			continue;
		}
		json_object_del(situation, key);
	}
}

/* ---- tokens ------------------------------------------------------------ */

unsigned imr_token_resources(const struct imr_hab *h, const char *requested)
{
	unsigned asked = 0;
	int any = 0;
	const char *p = requested ? requested : "";
	while (*p) {
		size_t n = strcspn(p, " +");
		if (n > 0) {
			char name[MAX_NAME];
			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			asked |= imr_resource_bit(name);
			any = 1;
		}
		p += n + (p[n] != '\0');
	}
	return any ? asked & h->resources : h->resources;
}

void imr_resources_text(unsigned set, char *out, size_t outsz)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < NB_RESOURCES; i++)
		if ((set & resources[i].bit) && used < outsz)
			used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? " " : "",
			                         resources[i].name);
	if (!set)
		snprintf(out, outsz, "default");
}

unsigned imr_route_resource(enum imf_route route)
{
	switch (route) {
	case IMF_ANNREV: return IMR_RES_IR;
	case IMF_DERNIERE_ANNREV: return IMR_RES_DERNIERE;
	case IMF_DEUXANS: return IMR_RES_DERNIERE2;
	}
	return 0;
}

/* ---- checks ------------------------------------------------------------ */

int imr_is_uuid(const char *s)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	if (!s)
		return 0;
	for (size_t g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		if (*s != (g < 4 ? '-' : '\0'))
			return 0;
		s += g < 4;
	}
	return 1;
}

static int digits(const char *s, size_t n)
{
	return s && strlen(s) == n && strspn(s, "0123456789") == n;
}

/* 1 when the habilitation grants income year `year`. */
static int year_granted(const struct imr_hab *h, int year, int this_year)
{
	if (h->all || !h->years)
		return 1;
	int k = this_year - year;
	return k >= 1 && k <= 3 && (h->years & (1u << k));
}

enum imr_step imr_check(const struct imr_call *c, int *year)
{
	*year = 0;
	if (c->token == IMR_TOKEN_NONE)
		return IMR_NO_TOKEN;
	if (c->token != IMR_TOKEN_VALID)
		return IMR_BAD_TOKEN;
	if (!c->quota_ok)
		return IMR_QUOTA;
	if (!imr_is_uuid(c->correlation_id))
		return IMR_CORRELATION;
	if (!(c->resources & imr_route_resource(c->route)))
		return IMR_RESOURCE;
	if (!digits(c->spi, IMF_SPI_LEN))
		return IMR_SPI;
	if (c->route == IMF_DEUXANS)
		return IMR_OK;
	if (!digits(c->year, 4))
		return IMR_YEAR;
	*year = (int)strtol(c->year, NULL, 10);
	if (!year_granted(c->hab, *year, c->this_year))
		return IMR_YEAR_RIGHTS;
	return IMR_OK;
}
