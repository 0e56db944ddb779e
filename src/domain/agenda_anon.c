#include "domain/agenda_anon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/dossier.h"
#include "domain/household.h"
#include "domain/money.h"
#include "domain/pdate.h"
#include "domain/ratio.h"
#include "domain/redact.h"

#define MAX_MEMBERS 64

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

const char *agenda_qf_band(long long qf)
{
	static const struct {
		long long below;
		const char *label;
	} bands[] = {{400, "moins de 400 €"},
	             {600, "400 à 599 €"},
	             {800, "600 à 799 €"},
	             {1000, "800 à 999 €"},
	             {1200, "1 000 à 1 199 €"}};
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++)
		if (qf < bands[i].below)
			return bands[i].label;
	return "1 200 € et plus";
}

const char *agenda_age_band(int age)
{
	static const struct {
		int below;
		const char *label;
	} bands[] = {{3, "moins de 3 ans"}, {6, "3 à 5 ans"},    {11, "6 à 10 ans"},
	             {15, "11 à 14 ans"},   {18, "15 à 17 ans"}, {25, "18 à 24 ans"},
	             {40, "25 à 39 ans"},   {60, "40 à 59 ans"}, {75, "60 à 74 ans"}};
	if (age < 0)
		return "âge inconnu";
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++)
		if (age < bands[i].below)
			return bands[i].label;
	return "75 ans et plus";
}

const char *agenda_proposal_label(const char *code)
{
	enum dossier_proposal p;
	return dossier_proposal_from_code(code, &p) == 0 ? dossier_proposal_label(p) : NULL;
}

const char *agenda_decision_label(const char *code)
{
	enum dossier_decision d;
	return dossier_decision_from_code(code, &d) == 0 ? dossier_decision_label(d) : NULL;
}

/* ---- composition ---- */

struct member {
	int rank; /* enum relation, REL_COUNT when unknown */
	int age;  /* -1 when unknown */
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return y->age - x->age;
}

static int age_of(const json_t *p, const char *on)
{
	struct pdate birth;
	int y, m, d;
	if (ymd_parse_iso(on, &y, &m, &d) != 0 ||
	    pdate_parse(str(p, "date_naissance"), &birth, NULL) != 0)
		return -1;
	return pdate_age_at(&birth, y, m, d);
}

static int is_child(const struct member *m)
{
	return m->age >= 0 ? m->age < 18 : m->rank == REL_ENFANT;
}

static json_t *summary(int adults, int children)
{
	char a[48] = "", c[48] = "", out[128];
	if (adults)
		snprintf(a, sizeof(a), "%d adulte%s", adults, adults > 1 ? "s" : "");
	if (children)
		snprintf(c, sizeof(c), "%d enfant%s", children, children > 1 ? "s" : "");
	snprintf(out, sizeof(out), "%s%s%s", a, *a && *c ? " et " : "", c);
	return json_string(*out ? out : "composition inconnue");
}

static json_t *composition(const json_t *persons, const char *on)
{
	struct member m[MAX_MEMBERS];
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(persons, i, p)
	{
		if (n == MAX_MEMBERS)
			break;
		if (json_is_true(json_object_get(p, "ancien")))
			continue;
		enum relation rel = REL_COUNT;
		relation_from_code(str(p, "relation"), &rel);
		m[n++] = (struct member){(int)rel, age_of(p, on)};
	}
	qsort(m, n, sizeof(m[0]), member_cmp);
	json_t *list = json_array();
	int adults = 0, children = 0;
	for (i = 0; i < n; i++) {
		const char *role = relation_label((enum relation)m[i].rank);
		json_array_append_new(list, json_pack("{s:s, s:s}", "role", role ? role : "Membre",
		                                      "tranche_age", agenda_age_band(m[i].age)));
		if (is_child(&m[i]))
			children++;
		else
			adults++;
	}
	return json_pack("{s:I, s:i, s:i, s:o, s:o}", "personnes", (json_int_t)n, "adultes", adults,
	                 "enfants", children, "resume", summary(adults, children), "membres", list);
}

/* ---- resource indicators ---- */

static void put_money(json_t *o, const char *key, int64_t cents)
{
	char s[MONEY_FMT_SIZE];
	money_format(cents, s, sizeof(s));
	json_object_set_new(o, key, json_string(s));
}

/* A variable as scaled integer (scale 0: euros, 2: cents); 0 when absent. */
static int variable(const json_t *vars, const char *name, int scale, enum ratio_mode mode,
                    int64_t *out)
{
	struct ratio r;
	json_t *v = json_object_get(vars, name);
	if (!v || json_is_null(v) || ratio_from_json(v, &r) != 0)
		return 0;
	return ratio_to_scaled(r, scale, mode, out) == 0;
}

static json_t *indicators(const json_t *in)
{
	json_t *o = json_object(), *vars = json_object_get(in, "variables");
	int64_t qf, rav;
	if (variable(vars, "qf_caf", 0, RATIO_DOWN, &qf)) {
		int certified = json_is_true(json_object_get(in, "qf_certifie")) ||
		                json_is_true(json_object_get(vars, "qf_caf_certifie"));
		json_object_set_new(o, "qf_tranche", json_string(agenda_qf_band(qf)));
		json_object_set_new(
		    o, "qf_origine",
		    json_string(certified ? "certifié par la CAF ou la MSA" : "déclaré"));
	}
	json_t *res = json_object_get(in, "ressources"), *chg = json_object_get(in, "charges");
	if (json_is_integer(res))
		put_money(o, "ressources_fr", json_integer_value(res));
	if (json_is_integer(chg))
		put_money(o, "charges_fr", json_integer_value(chg));
	if (json_is_integer(res) && json_is_integer(chg))
		put_money(o, "reste_a_vivre_fr", json_integer_value(res) - json_integer_value(chg));
	if (variable(vars, "reste_a_vivre_jour_personne", 2, RATIO_HALF_UP, &rav))
		put_money(o, "rav_jour_personne_fr", rav);
	return o;
}

/* ---- free text ---- */

static struct redact *redaction_set(const json_t *persons)
{
	static const char *const names[] = {"nom_naissance", "nom_usage", "prenom1",
	                                    "prenom2",       "prenom3",   "email"};
	struct redact *r = redact_new();
	size_t i;
	json_t *p;
	json_array_foreach(persons, i, p)
	{
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			redact_add_name(r, str(p, names[k]));
		redact_add_address(r, str(p, "adresse"));
	}
	return r;
}

static json_t *clean(const struct redact *r, const char *text)
{
	char *s = redact_text(r, text);
	json_t *out = json_string(s);
	free(s);
	return out ? out : json_string("");
}

static void put_amount(json_t *o, const json_t *from)
{
	json_t *m = json_object_get(from, "montant");
	if (!json_is_integer(m)) {
		json_object_set_new(o, "montant", json_null());
		return;
	}
	json_object_set_new(o, "montant", json_integer(json_integer_value(m)));
	put_money(o, "montant_fr", json_integer_value(m));
}

static json_t *proposal(const struct redact *r, const json_t *p)
{
	const char *label = agenda_proposal_label(str(p, "proposition"));
	if (!label)
		return NULL;
	json_t *o = json_pack("{s:s, s:s, s:o}", "code", str(p, "proposition"), "label", label,
	                      "appreciation", clean(r, str(p, "appreciation")));
	put_amount(o, p);
	json_t *lines = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(p, "explication"), i, l)
	{
		if (json_is_string(l))
			json_array_append_new(lines, clean(r, json_string_value(l)));
	}
	json_object_set_new(o, "explication", lines);
	return o;
}

static json_t *decision(const struct redact *r, const json_t *d)
{
	const char *label = agenda_decision_label(str(d, "decision"));
	if (!label)
		return NULL;
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "code", str(d, "decision"), "label", label,
	                      "motif", clean(r, str(d, "motif")), "vote", clean(r, str(d, "vote")));
	put_amount(o, d);
	return o;
}

json_t *agenda_anon_item(const json_t *in, const char *on)
{
	const json_t *persons = json_object_get(in, "personnes");
	struct redact *r = redaction_set(persons);
	json_int_t asked = json_integer_value(json_object_get(in, "montant_demande"));
	json_t *out = json_pack("{s:s, s:s, s:I, s:o, s:b, s:o, s:o}", "numero", str(in, "numero"),
	                        "aide", str(in, "aide"), "montant_demande", asked, "motif",
	                        clean(r, str(in, "motif")), "a_rapporter",
	                        json_is_true(json_object_get(in, "a_rapporter")), "composition",
	                        composition(persons, on), "indicateurs", indicators(in));
	put_money(out, "montant_demande_fr", asked);
	json_t *p = proposal(r, json_object_get(in, "proposition"));
	if (p)
		json_object_set_new(out, "proposition", p);
	json_t *d = decision(r, json_object_get(in, "decision"));
	if (d)
		json_object_set_new(out, "decision", d);
	redact_free(r);
	return out;
}
