/* cassis check KIND VALUE: checks an official identifier (NIR, IBAN, RIB,
 * SIRET, numéro fiscal...) and says precisely why it is refused. Exit 0
 * when valid (warnings printed), 1 when invalid, 2 on bad usage. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/json_alloc.h"
#include "cli/cli.h"
#include "domain/ident.h"

static const char help[] =
    "Usage : cassis check TYPE VALEUR [--json]\n"
    "Contrôle un identifiant et donne le motif précis d'un refus.\n\n"
    "Types :\n"
    "  nir                 numéro de sécurité sociale (15 caractères, clé)\n"
    "  iban                IBAN (clé modulo 97, longueur du pays, clé RIB en France)\n"
    "  rib                 RIB (banque, guichet, compte, clé : 23 caractères)\n"
    "  siret, siren        numéros Sirene (clé de Luhn, exception de La Poste)\n"
    "  numero-fiscal       numéro fiscal (13 chiffres)\n"
    "  reference-avis      référence de l'avis d'impôt (13 caractères)\n"
    "  numero-allocataire  numéro allocataire CAF (7 chiffres)\n"
    "  cog                 code commune ou code pays INSEE\n"
    "  code-postal         code postal (5 chiffres)\n\n"
    "La valeur peut contenir des espaces (entre guillemets, ou en plusieurs\n"
    "arguments) ; « - » la lit sur l'entrée standard, pour qu'elle ne reste\n"
    "pas dans l'historique du terminal.\n\n"
    "  --json   le résultat en JSON (valide, code, motif, avertissements)\n"
    "  --help   cette aide\n\n"
    "Code de sortie : 0 valide (avertissements affichés), 1 invalide, 2 usage.\n";

static const struct {
	const char *kind;
	const char *label;
} labels[] = {
    {"nir", "NIR"},
    {"iban", "IBAN"},
    {"rib", "RIB"},
    {"siret", "SIRET"},
    {"siren", "SIREN"},
    {"numero-fiscal", "Numéro fiscal"},
    {"reference-avis", "Référence d'avis d'impôt"},
    {"numero-allocataire", "Numéro allocataire"},
    {"cog", "Code INSEE"},
    {"code-postal", "Code postal"},
};

static const char *label_of(const char *kind)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	}
	return kind;
}

/* Joins argv[from..argc-1] with spaces into out; "-" reads a line of
 * standard input. Returns 0, or -1 when the value does not fit. */
static int read_value(int argc, char **argv, int from, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	if (argc - from == 1 && strcmp(argv[from], "-") == 0) {
		if (!fgets(out, (int)outsz, stdin))
			return 0;
		out[strcspn(out, "\r\n")] = '\0';
		return 0;
	}
	for (int i = from; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (n + len + 2 > outsz)
			return -1;
		if (i > from)
			out[n++] = ' ';
		memcpy(out + n, argv[i], len + 1);
		n += len;
	}
	return 0;
}

static void print_json(const struct ident_result *res)
{
	json_t *warnings = json_array();
	for (int i = 0; i < res->nb_warnings; i++)
		json_array_append_new(warnings, json_string(res->warnings[i]));
	json_t *out = json_pack("{s:b, s:s?, s:s?, s:o, s:s}", "valide", res->valid, "code",
	                        res->code, "motif", res->valid ? NULL : res->reason,
	                        "avertissements", warnings, "valeur_normalisee", res->normalised);
	char *text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		printf("%s\n", text);
	json_free_text(text);
	json_decref(out);
}

static void print_text(const char *kind, const struct ident_result *res)
{
	if (res->valid)
		printf("%s valide : %s\n", label_of(kind), res->normalised);
	else
		printf("%s invalide : %s\n", label_of(kind), res->reason);
	for (int i = 0; i < res->nb_warnings; i++)
		printf("Attention : %s\n", res->warnings[i]);
}

int cmd_check(int argc, char **argv)
{
	int json = 0, first = 1;
	char kind[32], value[256];
	struct ident_result res;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(help, stdout);
			return 0;
		}
	}
	if (argc > 1 && strcmp(argv[1], "--json") == 0) {
		json = 1;
		first = 2;
	}
	if (argc >= first + 2 && strcmp(argv[argc - 1], "--json") == 0) {
		json = 1;
		argc--;
	}
	if (argc > first && strncmp(argv[first], "--", 2) == 0) {
		char msg[96];
		snprintf(msg, sizeof(msg), "option inconnue « %.48s »", argv[first]);
		return cli_usage_error("check", msg);
	}
	if (argc < first + 2)
		return cli_usage_error("check", "indiquez le type et la valeur à contrôler");
	snprintf(kind, sizeof(kind), "%s", argv[first]);
	for (char *p = kind; *p; p++)
		*p = *p == '_' ? '-' : *p;
	if (read_value(argc, argv, first + 1, value, sizeof(value)) != 0)
		return cli_usage_error("check", "la valeur est trop longue");
	int rc = ident_check(kind, value, &res);
	if (rc == CAS_ENOTFOUND)
		return cli_usage_error("check", "type inconnu (voir cassis check --help)");
	if (json)
		print_json(&res);
	else
		print_text(kind, &res);
	return rc == 0 ? 0 : 1;
}
