/* The variables of a situation: see situation.h. Each group of variables
 * is computed only from what the situation gives; what cannot be computed
 * is left out. */
#include "domain/situation_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "domain/caf_qf.h"
#include "domain/fiscal_parts.h"
#include "domain/reste_a_vivre.h"
#include "domain/uc.h"

static const struct situation_var vars_list[] = {
    {"nb_personnes", SVAR_INTEGER, "Nombre de personnes du foyer"},
    {"nb_adultes", SVAR_INTEGER, "Nombre d'adultes (personnes autres que les enfants)"},
    {"nb_enfants", SVAR_INTEGER, "Nombre d'enfants"},
    {"nb_enfants_a_charge", SVAR_INTEGER, "Nombre d'enfants à charge"},
    {"nb_enfants_moins_18", SVAR_INTEGER, "Nombre d'enfants de moins de 18 ans"},
    {"nb_enfants_garde_alternee", SVAR_INTEGER, "Nombre d'enfants en résidence alternée"},
    {"nb_enfants_handicapes", SVAR_INTEGER, "Nombre d'enfants handicapés (invalidité ou AEEH)"},
    {"age_demandeur", SVAR_INTEGER, "Âge du demandeur"},
    {"en_couple", SVAR_BOOL, "Vit en couple"},
    {"parent_isole", SVAR_BOOL, "Parent isolé"},
    {"situation_familiale", SVAR_STRING, "Situation familiale"},
    {"parts_caf", SVAR_NUMBER, "Nombre de parts CAF"},
    {"qf_caf", SVAR_NUMBER, "Quotient familial CAF (€/mois)"},
    {"qf_caf_certifie", SVAR_BOOL, "Quotient familial CAF certifié par la CAF ou la MSA"},
    {"parts", SVAR_NUMBER, "Nombre de parts fiscales"},
    {"rfr", SVAR_NUMBER, "Revenu fiscal de référence (€)"},
    {"qf_fiscal", SVAR_NUMBER, "Quotient familial fiscal mensuel (€/mois)"},
    {"uc", SVAR_NUMBER, "Unités de consommation (échelle INSEE/OCDE)"},
    {"uc_cheque_energie", SVAR_NUMBER, "Unités de consommation (chèque énergie)"},
    {"ressources_mensuelles", SVAR_NUMBER, "Ressources mensuelles (€)"},
    {"ressources_annuelles", SVAR_NUMBER, "Ressources annuelles imposables (€)"},
    {"prestations_familiales_mois", SVAR_NUMBER, "Prestations familiales du mois (€)"},
    {"charges_mensuelles", SVAR_NUMBER, "Charges mensuelles (€)"},
    {"reste_a_vivre_mois", SVAR_NUMBER, "Reste à vivre mensuel (€)"},
    {"reste_a_vivre_jour_personne", SVAR_NUMBER, "Reste à vivre par jour et par personne (€)"},
    {"reste_a_vivre_mois_uc", SVAR_NUMBER, "Reste à vivre mensuel par unité de consommation (€)"},
    {"reste_a_vivre_jour_uc", SVAR_NUMBER,
     "Reste à vivre par jour et par unité de consommation (€)"},
    {"commune_residence", SVAR_STRING, "Commune de résidence (code INSEE)"},
    {"beneficiaire_rsa", SVAR_BOOL, "Bénéficiaire du RSA"},
    {"beneficiaire_aah", SVAR_BOOL, "Bénéficiaire de l'AAH"},
    {"beneficiaire_ass", SVAR_BOOL, "Bénéficiaire de l'ASS"},
    {"beneficiaire_aspa", SVAR_BOOL, "Bénéficiaire de l'ASPA"},
    {"beneficiaire_asi", SVAR_BOOL, "Bénéficiaire de l'ASI"},
    {"beneficiaire_css", SVAR_BOOL, "Bénéficiaire de la complémentaire santé solidaire"},
    {"beneficiaire_prime_activite", SVAR_BOOL, "Bénéficiaire de la prime d'activité"},
    {"beneficiaire_demandeur_emploi", SVAR_BOOL, "Demandeur d'emploi"},
    {"beneficiaire_etudiant", SVAR_BOOL, "Étudiant"},
    {"beneficiaire_retraite", SVAR_BOOL, "Retraité"},
    {"beneficiaire_apl", SVAR_BOOL, "Bénéficiaire d'une aide au logement"},
    {"montant_demande", SVAR_NUMBER, "Montant demandé (€)"},
};

const struct situation_var *situation_var_list(size_t *n)
{
	*n = sizeof(vars_list) / sizeof(vars_list[0]);
	return vars_list;
}

const struct situation_var *situation_var_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(vars_list) / sizeof(vars_list[0]); i++) {
		if (strcmp(vars_list[i].name, name) == 0)
			return &vars_list[i];
	}
	return NULL;
}

static void put_ratio(json_t *vars, const char *name, struct ratio r)
{
	char buf[RATIO_FMT_SIZE];
	json_object_set_new(vars, name, json_string(ratio_format_exact(r, buf)));
}

static void put_amount(json_t *vars, const char *name, const struct sit_amount *a)
{
	if (a->has)
		put_ratio(vars, name, ratio_cents(a->cents));
}

/* Counts of the persons by role. */
struct counts {
	int enfants, a_charge, alternee, handicapes, moins_18, ages_known, conjoint;
};

static struct counts count_persons(const struct sit *s)
{
	struct counts c = {0, 0, 0, 0, 0, 1, 0};
	for (int i = 0; i < s->nb; i++) {
		const struct sit_person *p = &s->p[i];
		c.conjoint += p->role == REL_CONJOINT;
		if (p->role != REL_ENFANT)
			continue;
		c.enfants++;
		c.a_charge += p->a_charge;
		c.alternee += p->alternee;
		c.handicapes += p->invalide || p->aeeh;
		if (p->age < 0)
			c.ages_known = 0;
		else
			c.moins_18 += p->age < 18;
	}
	return c;
}

static int en_couple(const struct sit *s, const struct counts *c)
{
	const char *f = s->familiale;
	return c->conjoint > 0 ||
	       (f && (!strcmp(f, "marie") || !strcmp(f, "pacse") || !strcmp(f, "concubinage")));
}

static void household_vars(const struct sit *s, const struct counts *c, json_t *vars)
{
	if (s->familiale)
		json_object_set_new(vars, "situation_familiale", json_string(s->familiale));
	if (s->has_persons || s->familiale)
		json_object_set_new(vars, "en_couple", json_boolean(en_couple(s, c)));
	if (!s->has_persons)
		return;
	json_object_set_new(vars, "nb_personnes", json_integer(s->nb));
	json_object_set_new(vars, "nb_adultes", json_integer(s->nb - c->enfants));
	json_object_set_new(vars, "nb_enfants", json_integer(c->enfants));
	json_object_set_new(vars, "nb_enfants_a_charge", json_integer(c->a_charge));
	json_object_set_new(vars, "nb_enfants_garde_alternee", json_integer(c->alternee));
	json_object_set_new(vars, "nb_enfants_handicapes", json_integer(c->handicapes));
	json_object_set_new(vars, "parent_isole",
	                    json_boolean(!en_couple(s, c) && c->a_charge > 0));
	if (c->ages_known)
		json_object_set_new(vars, "nb_enfants_moins_18", json_integer(c->moins_18));
	if (s->p[s->demandeur].age >= 0)
		json_object_set_new(vars, "age_demandeur", json_integer(s->p[s->demandeur].age));
}

static void caf_vars(const struct sit *s, const struct counts *c,
                     const struct caf_parts_table *table, json_t *vars)
{
	struct ratio parts, qf;
	int aeeh = 0;
	if (s->has_qf) {
		put_ratio(vars, "qf_caf", s->qf);
		json_object_set_new(vars, "qf_caf_certifie", json_true());
	}
	if (!s->has_persons)
		return;
	for (int i = 0; i < s->nb; i++)
		aeeh += s->p[i].role == REL_ENFANT && s->p[i].a_charge && s->p[i].aeeh;
	if (caf_parts(table, en_couple(s, c), c->a_charge, aeeh, &parts) != 0)
		return;
	put_ratio(vars, "parts_caf", parts);
	if (s->has_qf || !s->res_a.has)
		return;
	if (caf_qf(s->res_a.cents, s->pf.has ? s->pf.cents : 0, parts, &qf) == 0) {
		put_ratio(vars, "qf_caf", qf);
		json_object_set_new(vars, "qf_caf_certifie", json_false());
	}
}

/* Box override: the situation's "cases_fiscales" win over derived values. */
static int box(const struct sit *s, char letter, int derived)
{
	int v = s->cases[letter - 'A'];
	return v < 0 ? derived : v;
}

static void fiscal_dependants(const struct sit *s, struct fiscal_household *h)
{
	for (int i = 0; i < s->nb; i++) {
		const struct sit_person *p = &s->p[i];
		if (!p->a_charge)
			continue;
		if (p->role == REL_ENFANT && p->alternee) {
			h->nb_h++;
			h->nb_i += p->invalide;
		} else if (p->role == REL_ENFANT) {
			h->nb_f++;
			h->nb_g += p->invalide;
		} else if (p->role == REL_PERSONNE_A_CHARGE && p->invalide) {
			h->nb_r++;
		}
	}
}

/* The foyer fiscal of the applicant, or 0 when it cannot be known
 * (unmarried couple: two notices; status unknown with a spouse or
 * dependants). */
static int fiscal_household_of(const struct sit *s, const struct counts *c,
                               struct fiscal_household *h)
{
	const struct sit_person *dem = &s->p[s->demandeur], *conj = NULL;
	memset(h, 0, sizeof(*h));
	fiscal_dependants(s, h);
	for (int i = 0; i < s->nb; i++)
		conj = s->p[i].role == REL_CONJOINT ? &s->p[i] : conj;
	int deps = h->nb_f + h->nb_h + h->nb_r;
	if (s->familiale && !strcmp(s->familiale, "concubinage"))
		return 0;
	if (!s->familiale && (c->conjoint || deps))
		return 0;
	h->status = FISCAL_SEUL;
	if (s->familiale)
		fiscal_status_from_situation(s->familiale, &h->status);
	int couple = h->status == FISCAL_COUPLE;
	h->case_p = box(s, 'P', dem->invalide);
	h->case_f = box(s, 'F', couple && conj && conj->invalide);
	h->case_w = box(s, 'W', dem->combattant && dem->age >= 75);
	h->case_s = box(s, 'S', couple && conj && conj->combattant && conj->age >= 75);
	h->case_t = box(s, 'T', h->status == FISCAL_SEUL && !conj && deps > 0);
	h->case_g = box(s, 'G', 0);
	h->case_l = box(s, 'L', 0);
	h->case_e = box(s, 'E', 0);
	h->case_k = box(s, 'K', 0);
	h->case_n = box(s, 'N', 0);
	return 1;
}

static void fiscal_vars(const struct sit *s, const struct counts *c, json_t *vars)
{
	struct fiscal_household h;
	struct ratio parts, qf;
	int has_parts = s->has_parts;
	put_amount(vars, "rfr", &s->rfr);
	parts = s->parts;
	if (!has_parts && s->has_persons && fiscal_household_of(s, c, &h))
		has_parts = fiscal_parts(&h, &parts) == 0;
	if (!has_parts)
		return;
	put_ratio(vars, "parts", parts);
	if (s->rfr.has && qf_fiscal_mensuel(s->rfr.cents, parts, &qf) == 0)
		put_ratio(vars, "qf_fiscal", qf);
}

/* OECD units need every age but the applicant's. */
static int oecd_units(const struct sit *s, struct ratio *out)
{
	int ages[SIT_MAX_PERSONS], n = 0;
	ages[n++] = 99; /* the applicant first: counts 1 whatever the age */
	for (int i = 0; i < s->nb; i++) {
		if (i == s->demandeur)
			continue;
		if (s->p[i].age < 0)
			return CAS_EINVAL;
		ages[n++] = s->p[i].age;
	}
	return uc_oecd(ages, n, out);
}

static void budget_vars(const struct sit *s, const struct counts *c, json_t *vars)
{
	struct ratio uc, uce, r;
	int has_uc = s->has_persons && oecd_units(s, &uc) == 0;
	if (has_uc)
		put_ratio(vars, "uc", uc);
	if (s->has_persons && uc_cheque_energie(s->nb, c->alternee, &uce) == 0)
		put_ratio(vars, "uc_cheque_energie", uce);
	put_amount(vars, "ressources_mensuelles", &s->res_m);
	put_amount(vars, "ressources_annuelles", &s->res_a);
	put_amount(vars, "prestations_familiales_mois", &s->pf);
	put_amount(vars, "charges_mensuelles", &s->charges);
	if (!s->res_m.has || !s->charges.has)
		return;
	int64_t res = s->res_m.cents, ch = s->charges.cents;
	if (rav_mois(res, ch, &r) == 0)
		put_ratio(vars, "reste_a_vivre_mois", r);
	if (s->has_persons && rav_jour_personne(res, ch, s->nb, &r) == 0)
		put_ratio(vars, "reste_a_vivre_jour_personne", r);
	if (has_uc && rav_mois_uc(res, ch, uc, &r) == 0)
		put_ratio(vars, "reste_a_vivre_mois_uc", r);
	if (has_uc && rav_jour_uc(res, ch, uc, &r) == 0)
		put_ratio(vars, "reste_a_vivre_jour_uc", r);
}

static void other_vars(const struct sit *s, json_t *vars)
{
	char name[64];
	const char *key;
	json_t *v;
	if (s->commune)
		json_object_set_new(vars, "commune_residence", json_string(s->commune));
	for (int i = 0; s->has_statuts && i < SIT_NB_STATUTS; i++) {
		snprintf(name, sizeof(name), "beneficiaire_%s", sit_statut_name(i));
		json_object_set_new(vars, name, json_boolean(s->statuts & (1u << i)));
	}
	put_amount(vars, "montant_demande", &s->montant);
	if (s->extra)
		json_object_foreach((json_t *)s->extra, key, v) json_object_set(vars, key, v);
}

int situation_vars(const json_t *situation, const json_t *parts_table, const char *date,
                   json_t **vars, json_t **errors)
{
	struct sit *s = xcalloc(1, sizeof(*s));
	struct caf_parts_table table;
	const char *why = NULL;
	*vars = NULL;
	*errors = NULL;
	int rc = sit_read(s, situation, date);
	if (caf_parts_table_from_json(parts_table, &table, &why) != 0) {
		sit_error(s, "bareme_parts_caf", why);
		rc = CAS_EINVAL;
	}
	if (rc == 0) {
		struct counts c = count_persons(s);
		*vars = json_object();
		household_vars(s, &c, *vars);
		caf_vars(s, &c, &table, *vars);
		fiscal_vars(s, &c, *vars);
		budget_vars(s, &c, *vars);
		other_vars(s, *vars);
		json_decref(s->errors);
	} else {
		*errors = s->errors;
	}
	free(s);
	return rc;
}
