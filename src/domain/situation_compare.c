#include "domain/situation_compare.h"

#include <stdio.h>
#include <string.h>

#include "domain/caf_compare.h"
#include "domain/fiscal_parts.h"
#include "domain/money.h"
#include "domain/ratio.h"

#define TEXT_MAX 512

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* --- the monthly fiscal QF --- */

/* "48 583 €": whole euros, grouped as money_format does. */
static void euros_fr(int64_t euros, char *out, size_t outsz)
{
	money_format(euros * 100, out, outsz);
	char *cents = strstr(out, ",00");
	if (cents)
		memmove(cents, cents + 3, strlen(cents + 3) + 1);
}

static json_t *qf_not_computed(json_t *qf, const char *why)
{
	json_object_set_new(qf, "calcule", json_false());
	json_object_set_new(qf, "message", json_string(why));
	return qf;
}

json_t *situation_qf_fiscal(const json_t *dgfip)
{
	json_t *qf = json_object();
	const json_t *rfr = json_object_get(dgfip, "rfr");
	const json_t *parts = json_object_get(dgfip, "nombre_parts");
	struct ratio p, monthly;
	if (!json_is_integer(rfr) || !parts)
		return qf_not_computed(qf,
		                       "Le revenu fiscal de référence ou le nombre de parts "
		                       "n'est pas connu : le quotient fiscal n'est pas calculé.");
	int64_t r = json_integer_value(rfr);
	json_object_set_new(qf, "rfr", json_integer(r));
	if (ratio_from_json(parts, &p) != 0 || ratio_sign(p) <= 0)
		return qf_not_computed(qf, "Nombre de parts illisible : le quotient fiscal n'est "
		                           "pas calculé.");
	char ptext[RATIO_FMT_SIZE], exact[RATIO_FMT_SIZE], value[RATIO_FMT_SIZE];
	ratio_format_exact(p, ptext);
	json_object_set_new(qf, "parts", json_string(ptext));
	if (r < 0 || qf_fiscal_mensuel(r * 100, p, &monthly) != 0)
		return qf_not_computed(qf, "Revenu fiscal de référence négatif (déficit) : le "
		                           "quotient fiscal n'est pas calculé.");
	int64_t cents;
	char fr[MONEY_FMT_SIZE], rfr_fr[MONEY_FMT_SIZE], formula[TEXT_MAX];
	ratio_to_scaled(monthly, 2, RATIO_HALF_UP, &cents);
	money_format(cents, fr, sizeof(fr));
	euros_fr(r, rfr_fr, sizeof(rfr_fr));
	for (char *c = ptext; *c; c++)
		if (*c == '.')
			*c = ',';
	snprintf(formula, sizeof(formula), "%s / 12 / %s part%s", rfr_fr, ptext,
	         ratio_cmp(p, ratio_int(1)) > 0 ? "s" : "");
	json_object_set_new(qf, "calcule", json_true());
	json_object_set_new(qf, "valeur", json_string(ratio_format(monthly, 2, value)));
	json_object_set_new(qf, "valeur_fr", json_string(fr));
	json_object_set_new(qf, "exact", json_string(ratio_format_exact(monthly, exact)));
	json_object_set_new(qf, "formule", json_string(formula));
	return qf;
}

/* --- children and dependants --- */

static int count_relation(const json_t *members, const char *a, const char *b)
{
	int n = 0;
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		const char *rel = str(m, "relation");
		n += strcmp(rel, a) == 0 || (b && strcmp(rel, b) == 0);
	}
	return n;
}

static json_t *count_or_null(int known, int n)
{
	return known ? json_integer(n) : json_null();
}

/* "Nombres différents : ..." into text. */
static void children_message(char *text, size_t sz, int declared, int has_caf, int n_caf,
                             int has_dgfip, int n_dgfip)
{
	size_t o =
	    (size_t)snprintf(text, sz, "Nombres différents : %d dans le foyer déclaré", declared);
	if (has_caf && o < sz)
		o += (size_t)snprintf(text + o, sz - o, ", %d selon la CAF / MSA", n_caf);
	if (has_dgfip && o < sz)
		o += (size_t)snprintf(text + o, sz - o, ", %d personne(s) à charge selon la DGFiP",
		                      n_dgfip);
	if (o < sz)
		snprintf(text + o, sz - o,
		         ". Un enfant majeur rattaché au foyer fiscal, un enfant en résidence "
		         "alternée ou une naissance récente peut expliquer l'écart : vérifiez avec "
		         "le demandeur.");
}

static json_t *compare_children(const json_t *caf, const json_t *dgfip, const json_t *members)
{
	const json_t *kids = json_object_get(caf, "enfants");
	const json_t *pac = json_object_get(json_object_get(dgfip, "personnes_a_charge"), "nombre");
	int declared = count_relation(members, "enfant", "personne_a_charge");
	int has_caf = json_is_array(kids), has_dgfip = json_is_integer(pac);
	int n_caf = has_caf ? (int)json_array_size(kids) : 0;
	int n_dgfip = has_dgfip ? (int)json_integer_value(pac) : 0;
	const char *statut = "ok";
	char text[TEXT_MAX];
	snprintf(text, sizeof(text), "Le nombre d'enfants et de personnes à charge concorde.");
	if (!has_caf && !has_dgfip) {
		statut = "non_compare";
		snprintf(
		    text, sizeof(text),
		    "Les enfants et les personnes à charge ne sont demandés ni à la CAF / MSA ni "
		    "à la DGFiP pour cette aide.");
	} else if ((has_caf && n_caf != declared) || (has_dgfip && n_dgfip != declared) ||
	           (has_caf && has_dgfip && n_caf != n_dgfip)) {
		statut = "difference";
		children_message(text, sizeof(text), declared, has_caf, n_caf, has_dgfip, n_dgfip);
	}
	return json_pack("{s:i, s:o, s:o, s:s, s:s}", "declares", declared, "caf",
	                 count_or_null(has_caf, n_caf), "dgfip", count_or_null(has_dgfip, n_dgfip),
	                 "statut", statut, "message", text);
}

/* --- situation de famille --- */

static const char *couple_word(int couple)
{
	return couple ? "en couple" : "seul(e)";
}

static json_t *compare_family(const json_t *caf, const json_t *dgfip, const json_t *members)
{
	const json_t *sf = json_object_get(dgfip, "situation_famille");
	const json_t *alloc = json_object_get(caf, "allocataires");
	const char *code = str(sf, "code");
	int foyer = count_relation(members, "conjoint", NULL) > 0;
	int has_dgfip = *code != '\0', has_caf = json_is_array(alloc) && json_array_size(alloc);
	int dgfip_couple = strcmp(code, "M") == 0 || strcmp(code, "O") == 0;
	int caf_couple = has_caf && json_array_size(alloc) > 1;
	const char *statut = "ok", *msg = "La situation de famille concorde avec le foyer déclaré.";
	if (!has_dgfip && !has_caf) {
		statut = "non_compare";
		msg = "La situation de famille n'est pas demandée pour cette aide.";
	} else if (has_dgfip && dgfip_couple && !foyer) {
		statut = "difference";
		msg = "Marié(e) ou pacsé(e) selon la DGFiP, mais aucun conjoint dans le foyer "
		      "déclaré : vérifiez la situation avec le demandeur.";
	} else if (has_dgfip && !dgfip_couple && foyer) {
		statut = "difference";
		msg = "Déclaration fiscale d'une personne seule, mais un conjoint dans le foyer "
		      "déclaré : en union libre, chacun déclare ses revenus et ce revenu fiscal de "
		      "référence ne couvre qu'une des deux personnes.";
	} else if (has_caf && caf_couple != foyer) {
		statut = "difference";
		msg = caf_couple ? "Deux allocataires selon la CAF / MSA, mais aucun conjoint dans "
		                   "le foyer déclaré."
		                 : "Un seul allocataire selon la CAF / MSA, mais un conjoint dans "
		                   "le foyer déclaré.";
	}
	return json_pack("{s:o, s:o, s:o, s:s, s:s, s:s}", "dgfip",
	                 has_dgfip && *str(sf, "libelle") ? json_string(str(sf, "libelle"))
	                                                  : json_null(),
	                 "dgfip_code", has_dgfip ? json_string(code) : json_null(), "caf",
	                 has_caf ? json_string(couple_word(caf_couple)) : json_null(), "foyer",
	                 couple_word(foyer), "statut", statut, "message", msg);
}

/* --- addresses --- */

/* The DGFiP address in the shape of a CAF one (caf_compare.h). */
static json_t *dgfip_as_caf(const json_t *a)
{
	char cpv[TEXT_MAX];
	snprintf(cpv, sizeof(cpv), "%s%s%s", str(a, "code_postal"),
	         *str(a, "code_postal") && *str(a, "commune") ? " " : "", str(a, "commune"));
	json_t *out = json_pack("{s:s, s:s, s:s}", "complement_information", str(a, "complement"),
	                        "numero_libelle_voie", str(a, "voie"), "code_postal_ville", cpv);
	if (!*str(a, "voie") && !*str(a, "code_postal"))
		json_object_set_new(out, "numero_libelle_voie", json_string(str(a, "ligne")));
	return out;
}

/* A CAF address in the shape of a declared one. */
static json_t *caf_as_declared(const json_t *a)
{
	const char *cpv = str(a, "code_postal_ville");
	char cp[8];
	snprintf(cp, sizeof(cp), "%.5s", cpv);
	const char *town = strlen(cpv) > 5 ? cpv + 5 : "";
	town += strspn(town, " ");
	static const char *const lines[] = {"complement_information",
	                                    "complement_information_geographique",
	                                    "numero_libelle_voie", "lieu_dit"};
	char street[TEXT_MAX];
	size_t o = 0;
	street[0] = '\0';
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]) && o < sizeof(street); i++)
		if (*str(a, lines[i]))
			o += (size_t)snprintf(street + o, sizeof(street) - o, "%s%s", o ? " " : "",
			                      str(a, lines[i]));
	return json_pack("{s:s, s:s, s:s}", "adresse", street, "code_postal", cp, "commune", town);
}

/* {text, identique} of a CAF-shaped address against a declared one. */
static json_t *match_address(const json_t *caf_shaped, const json_t *declared)
{
	json_t *wrap = json_pack("{s:O}", "adresse", caf_shaped);
	json_t *members = json_array();
	json_t *cmp = caf_compare(wrap, members, declared);
	json_t *a = json_incref(json_object_get(cmp, "adresse"));
	json_decref(cmp);
	json_decref(members);
	json_decref(wrap);
	return a;
}

static json_t *bool_or_null(int known, int v)
{
	return known ? json_boolean(v) : json_null();
}

static const char *address_message(int has_caf, int has_dgfip, int caf_same, int dgfip_same,
                                   int both_same)
{
	if (!has_caf && !has_dgfip)
		return "L'adresse n'est demandée ni à la CAF / MSA ni à la DGFiP pour cette aide.";
	if ((has_caf && !caf_same) || (has_dgfip && !dgfip_same))
		return "Autre adresse : vérifiez avec le demandeur où vit le foyer (un "
		       "déménagement récent n'est pas toujours connu de tous).";
	if (has_caf && has_dgfip && !both_same)
		return "Les adresses de la CAF / MSA et de la DGFiP diffèrent entre elles.";
	return "Les adresses concordent.";
}

static json_t *compare_addresses(const json_t *caf, const json_t *dgfip, const json_t *address)
{
	const json_t *ca = json_object_get(caf, "adresse");
	const json_t *da = json_object_get(dgfip, "adresse");
	int has_caf = json_is_object(ca), has_dgfip = json_is_object(da);
	json_t *out = json_object();
	json_t *cm = has_caf ? match_address(ca, address) : NULL;
	json_t *dshape = has_dgfip ? dgfip_as_caf(da) : NULL;
	json_t *dm = has_dgfip ? match_address(dshape, address) : NULL;
	int caf_same = json_is_true(json_object_get(cm, "identique"));
	int dgfip_same = json_is_true(json_object_get(dm, "identique"));
	int both = 0;
	if (has_caf && has_dgfip) {
		json_t *as_decl = caf_as_declared(ca);
		json_t *x = match_address(dshape, as_decl);
		both = json_is_true(json_object_get(x, "identique"));
		json_decref(x);
		json_decref(as_decl);
	}
	char declared[TEXT_MAX];
	snprintf(declared, sizeof(declared), "%s%s%s%s%s", str(address, "adresse"),
	         *str(address, "adresse") ? "\n" : "", str(address, "code_postal"),
	         *str(address, "code_postal") ? " " : "", str(address, "commune"));
	json_object_set_new(out, "declaree", json_string(declared));
	json_object_set_new(out, "caf", has_caf ? json_string(str(cm, "caf")) : json_null());
	json_object_set_new(out, "dgfip", has_dgfip ? json_string(str(dm, "caf")) : json_null());
	json_object_set_new(out, "caf_identique", bool_or_null(has_caf, caf_same));
	json_object_set_new(out, "dgfip_identique", bool_or_null(has_dgfip, dgfip_same));
	json_object_set_new(out, "caf_dgfip_identique", bool_or_null(has_caf && has_dgfip, both));
	int diff =
	    (has_caf && !caf_same) || (has_dgfip && !dgfip_same) || (has_caf && has_dgfip && !both);
	json_object_set_new(out, "statut",
	                    json_string(!has_caf && !has_dgfip ? "non_compare"
	                                : diff                 ? "difference"
	                                                       : "ok"));
	json_object_set_new(
	    out, "message",
	    json_string(address_message(has_caf, has_dgfip, caf_same, dgfip_same, both)));
	json_decref(cm);
	json_decref(dm);
	json_decref(dshape);
	return out;
}

json_t *situation_compare(const json_t *caf, const json_t *dgfip, const json_t *members,
                          const json_t *address)
{
	json_t *out = json_object();
	json_object_set_new(out, "qf_fiscal", situation_qf_fiscal(dgfip));
	json_object_set_new(out, "enfants", compare_children(caf, dgfip, members));
	json_object_set_new(out, "situation_famille", compare_family(caf, dgfip, members));
	json_object_set_new(out, "adresses", compare_addresses(caf, dgfip, address));
	int n = 0;
	static const char *const parts[] = {"enfants", "situation_famille", "adresses"};
	for (size_t i = 0; i < 3; i++)
		n += strcmp(str(json_object_get(out, parts[i]), "statut"), "difference") == 0;
	json_object_set_new(out, "differences", json_integer(n));
	return out;
}
