/* Reading a situation: see situation.h. The JSON is checked field by field
 * into a struct sit (errors collected as field -> French message); the
 * variables are computed from it in situation_vars.c. */
#include "domain/situation_internal.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/cog.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "domain/pdate.h"

#define MSG_BOOL "Indiquez true (oui) ou false (non)."

void sit_error(struct sit *s, const char *field, const char *msg)
{
	if (!json_object_get(s->errors, field))
		json_object_set_new(s->errors, field, json_string(msg));
}

/* An amount in cents from a JSON number or a money_parse() string. */
static int amount_from_json(const json_t *v, int64_t *cents, const char **why)
{
	struct ratio r;
	int64_t c;
	if (json_is_string(v))
		return money_parse(json_string_value(v), cents, why);
	*why = "Indiquez un montant en euros, par exemple 1234.56.";
	if (!json_is_number(v) || ratio_from_json(v, &r) != 0)
		return CAS_EINVAL;
	*why = "Le montant doit avoir au plus deux décimales.";
	if (ratio_to_scaled(r, 2, RATIO_DOWN, &c) != 0 || ratio_cmp(ratio_cents(c), r) != 0)
		return CAS_EINVAL;
	*why = c < 0 ? "Le montant ne peut pas être négatif." : "Le montant est trop élevé.";
	if (c < 0 || c > MONEY_MAX_CENTS)
		return CAS_EINVAL;
	*cents = c;
	return 0;
}

static void read_amount_value(struct sit *s, const json_t *v, const char *path,
                              struct sit_amount *out)
{
	const char *why = "Montant invalide.";
	int64_t c;
	if (!v || json_is_null(v))
		return;
	if (amount_from_json(v, &c, &why) != 0) {
		sit_error(s, path, why);
		return;
	}
	out->has = 1;
	out->cents = c;
}

static void read_amount(struct sit *s, const json_t *obj, const char *key, struct sit_amount *out)
{
	read_amount_value(s, json_object_get(obj, key), key, out);
}

/* Sum of budget lines [{"type": code, "montant": amount}] of one kind. */
static void read_lines(struct sit *s, const json_t *arr, const char *path, enum line_kind kind,
                       struct sit_amount *out)
{
	char field[96];
	size_t i;
	const json_t *line;
	int64_t total = 0;
	if (!json_is_array(arr)) {
		sit_error(s, path, "Les lignes doivent être une liste.");
		return;
	}
	json_array_foreach(arr, i, line)
	{
		const struct line_type *t =
		    line_type_find(json_string_value(json_object_get(line, "type")));
		struct sit_amount a = {0, 0};
		snprintf(field, sizeof(field), "%s[%zu].type", path, i);
		if (!t || t->kind != kind)
			sit_error(s, field,
			          kind == LINE_RESSOURCE ? "Type de ressource inconnu."
			                                 : "Type de charge inconnu.");
		snprintf(field, sizeof(field), "%s[%zu].montant", path, i);
		read_amount_value(s, json_object_get(line, "montant"), field, &a);
		if (!a.has)
			sit_error(s, field, "Indiquez le montant mensuel de la ligne.");
		total += a.cents;
	}
	if (total > MONEY_MAX_CENTS)
		sit_error(s, path, "Le total des lignes est trop élevé.");
	out->has = 1;
	out->cents = total;
}

/* "ressources" or "charges": an amount, or an object with "mensuelles",
 * ("annuelles" when annual is not NULL) and "lignes". */
static void read_budget(struct sit *s, const char *key, enum line_kind kind,
                        struct sit_amount *monthly, struct sit_amount *annual)
{
	const json_t *v = json_object_get(s->json, key);
	char path[64];
	if (!v || json_is_null(v))
		return;
	if (!json_is_object(v)) {
		read_amount_value(s, v, key, monthly);
		return;
	}
	snprintf(path, sizeof(path), "%s.lignes", key);
	if (json_object_get(v, "lignes"))
		read_lines(s, json_object_get(v, "lignes"), path, kind, monthly);
	snprintf(path, sizeof(path), "%s.mensuelles", key);
	if (json_object_get(v, "mensuelles"))
		read_amount_value(s, json_object_get(v, "mensuelles"), path, monthly);
	snprintf(path, sizeof(path), "%s.annuelles", key);
	if (annual)
		read_amount_value(s, json_object_get(v, "annuelles"), path, annual);
	else if (json_object_get(v, "annuelles"))
		sit_error(s, path, "Les charges sont mensuelles : utilisez « mensuelles ».");
}

static void read_date(struct sit *s, const char *date)
{
	const json_t *v = json_object_get(s->json, "date");
	const char *text = date;
	if (!text && v) {
		text = json_string_value(v);
		if (!text) {
			sit_error(s, "date", "La date doit être au format AAAA-MM-JJ.");
			return;
		}
	}
	if (!text)
		return;
	if (ymd_parse_iso(text, &s->y, &s->m, &s->d) != 0) {
		sit_error(s, "date", "La date doit être une date valide au format AAAA-MM-JJ.");
		return;
	}
	s->has_date = 1;
}

static const char *const familiales[] = {"celibataire", "marie",  "pacse", "concubinage",
                                         "divorce",     "separe", "veuf",  NULL};

static void read_familiale(struct sit *s)
{
	const json_t *v = json_object_get(s->json, "situation_familiale");
	const char *text = json_string_value(v);
	if (!v || json_is_null(v))
		return;
	for (int i = 0; text && familiales[i]; i++) {
		if (strcmp(text, familiales[i]) == 0) {
			s->familiale = familiales[i];
			return;
		}
	}
	sit_error(s, "situation_familiale",
	          "Situation familiale inconnue : indiquez celibataire, marie, pacse, "
	          "concubinage, divorce, separe ou veuf.");
}

static void read_cases(struct sit *s)
{
	const json_t *obj = json_object_get(s->json, "cases_fiscales"), *v;
	const char *key;
	char path[64];
	for (int i = 0; i < 26; i++)
		s->cases[i] = -1;
	if (!obj || json_is_null(obj))
		return;
	if (!json_is_object(obj)) {
		sit_error(s, "cases_fiscales", "Les cases fiscales doivent être un objet.");
		return;
	}
	json_object_foreach((json_t *)obj, key, v)
	{
		snprintf(path, sizeof(path), "cases_fiscales.%.32s", key);
		if (strlen(key) != 1 || !strchr("TLEKNPFWSG", key[0]) || key[0] == '\0') {
			sit_error(s, path,
			          "Case fiscale inconnue : T, L, E, K, N, P, F, W, S ou G.");
			continue;
		}
		if (!json_is_boolean(v)) {
			sit_error(s, path, MSG_BOOL);
			continue;
		}
		s->cases[key[0] - 'A'] = json_is_true(v);
	}
}

static const char *const statut_names[] = {SIT_STATUTS};

static int statut_index(const char *name)
{
	if (name && strcmp(name, "cmu_c") == 0)
		name = "css";
	for (int i = 0; name && i < SIT_NB_STATUTS; i++) {
		if (strcmp(name, statut_names[i]) == 0)
			return i;
	}
	return -1;
}

const char *sit_statut_name(int i)
{
	return i >= 0 && i < SIT_NB_STATUTS ? statut_names[i] : NULL;
}

static void read_statuts(struct sit *s)
{
	const json_t *arr = json_object_get(s->json, "statuts"), *v;
	size_t i;
	char path[48];
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		sit_error(s, "statuts", "Les statuts doivent être une liste.");
		return;
	}
	s->has_statuts = 1;
	json_array_foreach(arr, i, v)
	{
		int k = statut_index(json_string_value(v));
		snprintf(path, sizeof(path), "statuts[%zu]", i);
		if (k < 0)
			sit_error(s, path,
			          "Statut inconnu : rsa, aah, ass, aspa, asi, css, prime_activite, "
			          "demandeur_emploi, etudiant, retraite ou apl.");
		else
			s->statuts |= 1u << k;
	}
}

static void read_ratio_field(struct sit *s, const char *key, int *has, struct ratio *out,
                             const char *msg)
{
	const json_t *v = json_object_get(s->json, key);
	if (!v || json_is_null(v))
		return;
	if (ratio_from_json(v, out) != 0 || ratio_sign(*out) < 0 ||
	    ratio_cmp(*out, ratio_int(100000000)) > 0) {
		sit_error(s, key, msg);
		return;
	}
	*has = 1;
}

static void read_scalars(struct sit *s)
{
	const json_t *commune = json_object_get(s->json, "commune_residence");
	const char *why = NULL;
	read_amount(s, s->json, "prestations_familiales_mois", &s->pf);
	read_amount(s, s->json, "rfr", &s->rfr);
	read_amount(s, s->json, "montant_demande", &s->montant);
	read_ratio_field(
	    s, "parts_fiscales", &s->has_parts, &s->parts,
	    "Le nombre de parts fiscales doit être un nombre positif (par exemple 2.5).");
	if (s->has_parts && (ratio_sign(s->parts) <= 0 || s->parts.den > 4 || 4 % s->parts.den)) {
		sit_error(s, "parts_fiscales",
		          "Le nombre de parts fiscales est un multiple de 0,25 supérieur à 0.");
		s->has_parts = 0;
	}
	read_ratio_field(s, "qf_caf", &s->has_qf, &s->qf,
	                 "Le quotient familial CAF doit être un nombre positif ou nul.");
	if (commune && !json_is_null(commune)) {
		s->commune = json_string_value(commune);
		if (cog_commune_check(s->commune, &why) != 0) {
			sit_error(s, "commune_residence", why ? why : "Code commune invalide.");
			s->commune = NULL;
		}
	}
}

static int name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 64 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static void read_extra(struct sit *s)
{
	const json_t *obj = json_object_get(s->json, "variables"), *v;
	const char *key;
	char path[96];
	if (!obj || json_is_null(obj))
		return;
	if (!json_is_object(obj)) {
		sit_error(s, "variables", "Les variables déclarées doivent être un objet.");
		return;
	}
	json_object_foreach((json_t *)obj, key, v)
	{
		snprintf(path, sizeof(path), "variables.%.64s", key);
		if (!name_ok(key))
			sit_error(s, path,
			          "Nom de variable invalide (lettres minuscules, chiffres, _).");
		else if (situation_var_find(key) || strncmp(key, "beneficiaire_", 13) == 0)
			sit_error(s, path,
			          "Cette variable est calculée : renseignez les champs de la "
			          "situation dont elle dépend.");
		else if (!json_is_string(v) && !json_is_boolean(v) && !json_is_number(v))
			sit_error(s, path,
			          "Une variable déclarée est un texte, un nombre ou un booléen.");
	}
	s->extra = obj;
}

int sit_read(struct sit *s, const json_t *situation, const char *date)
{
	memset(s, 0, sizeof(*s));
	s->errors = json_object();
	s->json = situation;
	s->demandeur = -1;
	if (!json_is_object(situation)) {
		sit_error(s, "situation", "La situation doit être un objet JSON.");
		return CAS_EINVAL;
	}
	read_date(s, date);
	read_familiale(s);
	read_cases(s);
	read_statuts(s);
	read_scalars(s);
	read_budget(s, "ressources", LINE_RESSOURCE, &s->res_m, &s->res_a);
	read_budget(s, "charges", LINE_CHARGE, &s->charges, NULL);
	read_extra(s);
	sit_read_persons(s);
	return json_object_size(s->errors) ? CAS_EINVAL : 0;
}
