/* The situation of a dossier (domain/situation.h) built from what the
 * CCAS holds: the household's members, the dossier's declared budget
 * lines and amount asked, the CCAS's commune, and certified data from the
 * State (the CAF quotient familial of the last successful API Particulier
 * consultation of the dossier, the RFR and the fiscal parts of the last
 * successful API Impôt particulier one) in place of declared data. Each datum says
 * where it comes from. */
#include <stdio.h>
#include <string.h>

#include "app/evaluate.h"
#include "app/evaluate_internal.h"
#include "app/input.h"
#include "app/verify.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "store/consultation_store.h"
#include "store/dossier_store.h"
#include "store/household_store.h"
#include "store/tenant_store.h"

static json_t *amount(int64_t cents)
{
	char s[MONEY_FMT_SIZE];
	money_format_plain(cents, s, sizeof(s));
	return json_string(s);
}

static void source(struct built *b, const char *key, const char *label, const char *origin,
                   const char *detail)
{
	json_object_set_new(b->origins, key, json_string(origin));
	json_array_append_new(b->sources,
	                      json_pack("{s:s, s:s, s:s, s:s}", "donnee", key, "libelle", label,
	                                "origine", origin, "detail", detail));
}

/* Members on the reference date: not gone before it. */
static int add_persons(struct db *db, int64_t tenant, json_t *d, const char *date, struct built *b)
{
	json_int_t hid = json_integer_value(json_object_get(d, "household_id"));
	json_t *members = household_store_members(db, tenant, hid);
	if (!members)
		return CAS_EDB;
	json_t *persons = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		const char *out = json_string_value(json_object_get(m, "date_sortie"));
		if (out && strcmp(out, date) < 0)
			continue;
		json_t *p = json_pack("{s:s}", "role", input_str(m, "relation"));
		const char *birth = input_str(m, "date_naissance");
		if (*birth)
			json_object_set_new(p, "date_naissance", json_string(birth));
		json_array_append_new(persons, p);
	}
	json_decref(members);
	char detail[160];
	snprintf(
	    detail, sizeof(detail),
	    "Fiche du foyer : %zu personne(s), liens et dates de naissance saisis par le CCAS.",
	    json_array_size(persons));
	json_object_set_new(b->situation, "personnes", persons);
	source(b, "personnes", "Composition du foyer", "declare", detail);
	return 0;
}

struct budget {
	json_t *res, *chg;
	int64_t res_total, chg_total, pf;
	unsigned statuses; /* bit per status below */
};

static const char *const line_statuses[][2] = {
    {"rsa", "rsa"}, {"aah", "aah"}, {"pension_retraite", "retraite"}, {"aide_logement", "apl"}};
#define NSTATUSES (sizeof(line_statuses) / sizeof(line_statuses[0]))

static void add_line(struct budget *bu, json_t *l)
{
	const char *cat = input_str(l, "category");
	int64_t m = json_integer_value(json_object_get(l, "montant"));
	int res = strcmp(input_str(l, "kind"), "ressource") == 0;
	json_array_append_new(res ? bu->res : bu->chg,
	                      json_pack("{s:s, s:o}", "type", cat, "montant", amount(m)));
	*(res ? &bu->res_total : &bu->chg_total) += m;
	if (strcmp(cat, "prestations_familiales") == 0)
		bu->pf += m;
	for (size_t i = 0; i < NSTATUSES; i++)
		if (m > 0 && strcmp(cat, line_statuses[i][0]) == 0)
			bu->statuses |= 1u << i;
}

static void put_budget(struct built *b, struct budget *bu)
{
	char detail[256], r[MONEY_FMT_SIZE], c[MONEY_FMT_SIZE];
	money_format(bu->res_total, r, sizeof(r));
	money_format(bu->chg_total, c, sizeof(c));
	json_object_set_new(b->situation, "ressources", json_pack("{s:O}", "lignes", bu->res));
	json_object_set_new(b->situation, "charges", json_pack("{s:O}", "lignes", bu->chg));
	snprintf(detail, sizeof(detail), "Budget du dossier : %zu ligne(s), %s par mois.",
	         json_array_size(bu->res), r);
	source(b, "ressources", "Ressources mensuelles", "declare", detail);
	snprintf(detail, sizeof(detail), "Budget du dossier : %zu ligne(s), %s par mois.",
	         json_array_size(bu->chg), c);
	source(b, "charges", "Charges mensuelles", "declare", detail);
	if (bu->pf > 0) {
		money_format(bu->pf, r, sizeof(r));
		json_object_set_new(b->situation, "prestations_familiales_mois", amount(bu->pf));
		snprintf(detail, sizeof(detail),
		         "Lignes « Prestations familiales » du budget : %s.", r);
		source(b, "prestations_familiales_mois", "Prestations familiales du mois",
		       "declare", detail);
	}
	json_t *st = json_array();
	for (size_t i = 0; i < NSTATUSES; i++)
		if (bu->statuses & (1u << i))
			json_array_append_new(st, json_string(line_statuses[i][1]));
	json_object_set_new(b->situation, "statuts", st);
	source(b, "statuts", "Prestations perçues (RSA, AAH, retraite, aide au logement)",
	       "declare", "Déduites des lignes de ressources du budget du dossier.");
}

/* Resources and charges: only when a budget was entered (no line at all
 * leaves them unknown, not zero). */
static int add_budget(struct db *db, int64_t tenant, int64_t dossier_id, struct built *b)
{
	json_t *lines = dossier_store_lines(db, tenant, dossier_id);
	if (!lines)
		return CAS_EDB;
	if (json_array_size(lines) == 0) {
		json_decref(lines);
		return 0;
	}
	struct budget bu = {json_array(), json_array(), 0, 0, 0, 0};
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
	{
		add_line(&bu, l);
	}
	put_budget(b, &bu);
	json_decref(bu.res);
	json_decref(bu.chg);
	json_decref(lines);
	return 0;
}

/* The commune of residence: the CCAS's commune when it serves only one
 * (a CCAS serves the residents of its commune). */
static int add_commune(struct db *db, int64_t tenant, struct built *b)
{
	int err;
	json_t *t = tenant_store_get(db, tenant, &err);
	if (!t)
		return err;
	const char *communes = input_str(t, "communes");
	if (*communes && !strchr(communes, ',')) {
		char detail[160];
		snprintf(detail, sizeof(detail),
		         "Commune du CCAS (%s) : le demandeur est réputé y résider.", communes);
		json_object_set_new(b->situation, "commune_residence", json_string(communes));
		source(b, "commune_residence", "Commune de résidence", "deduit", detail);
	}
	json_decref(t);
	return 0;
}

/* The CAF/MSA quotient familial of the dossier's last successful
 * consultation, when there is one. */
static int add_certified_qf(struct db *db, int64_t tenant, int64_t dossier_id, struct built *b)
{
	json_t *list = consultation_store_list(db, tenant, dossier_id, 20);
	if (!list)
		return CAS_EDB;
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		json_t *resp = json_loads(input_str(c, "response"), 0, NULL);
		json_t *qf = json_object_get(json_object_get(resp, "quotient_familial"), "valeur");
		if (json_is_integer(qf) && json_integer_value(qf) >= 0) {
			char at[FR_DATETIME_SIZE], detail[200];
			fr_date(json_integer_value(json_object_get(c, "at")), at);
			const char *who = json_string_value(json_object_get(
			    json_object_get(resp, "quotient_familial"), "fournisseur"));
			snprintf(detail, sizeof(detail),
			         "API Particulier (%s), consultation n° %lld du %s : %lld €.",
			         who ? who : "CAF",
			         (long long)json_integer_value(json_object_get(c, "id")), at,
			         (long long)json_integer_value(qf));
			json_object_set_new(b->situation, "qf_caf",
			                    json_integer(json_integer_value(qf)));
			source(b, "qf_caf", "Quotient familial CAF", "certifie", detail);
			json_decref(resp);
			break;
		}
		json_decref(resp);
	}
	json_decref(list);
	return 0;
}

/* The RFR and the fiscal parts of the dossier's last successful API Impôt
 * particulier consultation ("Vérifier la situation"), when there is one;
 * the monthly fiscal QF computed from both is then certified too. */
static void add_certified_fiscal(struct db *db, int64_t tenant, int64_t dossier_id, struct built *b)
{
	json_t *c = verification_latest_dgfip(db, tenant, dossier_id);
	if (!c)
		return;
	json_t *resp = json_object_get(c, "reponse");
	json_t *rfr = json_object_get(resp, "rfr");
	const char *parts = json_string_value(json_object_get(resp, "nombre_parts"));
	char at[FR_DATETIME_SIZE], detail[240];
	fr_date(json_integer_value(json_object_get(c, "at")), at);
	long long id = (long long)json_integer_value(json_object_get(c, "id"));
	long long year = (long long)json_integer_value(json_object_get(resp, "annee_revenus"));
	int both = 0;
	if (json_is_integer(rfr) && json_integer_value(rfr) >= 0) {
		snprintf(
		    detail, sizeof(detail),
		    "API Impôt particulier (DGFiP), consultation n° %lld du %s : revenus %lld, "
		    "%lld €.",
		    id, at, year, (long long)json_integer_value(rfr));
		json_object_set_new(b->situation, "rfr", amount(json_integer_value(rfr) * 100));
		source(b, "rfr", "Revenu fiscal de référence", "certifie", detail);
		both++;
	}
	if (parts && *parts) {
		snprintf(
		    detail, sizeof(detail),
		    "API Impôt particulier (DGFiP), consultation n° %lld du %s : revenus %lld, "
		    "%s part(s).",
		    id, at, year, parts);
		json_object_set_new(b->situation, "parts_fiscales", json_string(parts));
		source(b, "parts", "Nombre de parts fiscales", "certifie", detail);
		both++;
	}
	if (both == 2)
		json_object_set_new(b->origins, "qf_fiscal", json_string("certifie"));
	json_decref(c);
}

static void add_amount_asked(json_t *d, struct built *b)
{
	int64_t m = json_integer_value(json_object_get(d, "montant_demande"));
	char detail[160], s[MONEY_FMT_SIZE];
	money_format(m, s, sizeof(s));
	snprintf(detail, sizeof(detail), "Montant demandé dans le dossier : %s.", s);
	json_object_set_new(b->situation, "montant_demande", amount(m));
	source(b, "montant_demande", "Montant demandé", "declare", detail);
}

int situation_build(struct db *db, int64_t tenant, json_t *dossier, const char *date,
                    struct built *b)
{
	b->situation = json_pack("{s:s}", "date", date);
	b->origins = json_object();
	b->sources = json_array();
	int64_t id = json_integer_value(json_object_get(dossier, "id"));
	int rc = add_persons(db, tenant, dossier, date, b);
	if (rc == 0)
		rc = add_budget(db, tenant, id, b);
	if (rc == 0)
		add_amount_asked(dossier, b);
	if (rc == 0)
		rc = add_commune(db, tenant, b);
	if (rc == 0)
		rc = add_certified_qf(db, tenant, id, b);
	if (rc == 0)
		add_certified_fiscal(db, tenant, id, b);
	if (rc != 0)
		built_free(b);
	return rc;
}

void built_free(struct built *b)
{
	json_decref(b->situation);
	json_decref(b->origins);
	json_decref(b->sources);
	memset(b, 0, sizeof(*b));
}
