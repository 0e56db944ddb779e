/* cassis simulate: evaluates an aid rule on a household.
 *
 *   cassis simulate --rule FICHIER --input SITUATION.json [--date AAAA-MM-JJ]
 *   cassis simulate --aid CODE --tenant SIRET [--db URL] --input SITUATION.json
 *
 * FICHIER is an aid type (a file of examples/aides: the version in force at
 * the date is used) or a bare rule document. The situation goes through
 * situation_vars() (domain/situation.h), then rule_eval(). The result JSON
 * is printed on stdout (exit 0); errors in French on stderr: exit 1 for an
 * invalid rule or input, 2 for bad usage.
 *
 * Where the rule comes from is one step (struct source, load_rule_file());
 * another origin (an aid type stored in a database) plugs in beside it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "domain/rules.h"
#include "domain/situation.h"

static const char help[] =
    "Usage : cassis simulate --rule FICHIER --input SITUATION.json [OPTIONS]\n"
    "Évalue une règle d'aide sur la situation d'un foyer et affiche le résultat\n"
    "(éligibilité, montant, explication) en JSON.\n\n"
    "  --rule FICHIER          type d'aide (examples/aides/*.json) ou règle seule\n"
    "  --aid CODE              au lieu de --rule : une aide du catalogue d'un CCAS\n"
    "                          (avec --tenant SIRET et --db URL)\n"
    "  --input FICHIER         situation du foyer en JSON (« - » : entrée standard)\n"
    "  --variables FICHIER     au lieu de --input : les variables déjà calculées\n"
    "  --date AAAA-MM-JJ       date d'évaluation (âges, version en vigueur) ;\n"
    "                          défaut : aujourd'hui\n"
    "  --version-date AAAA-MM-JJ  date qui choisit la version de la règle\n"
    "                          (défaut : --date)\n"
    "  --parts-caf FICHIER     table des parts CAF du CCAS (défaut : CNAF)\n"
    "  --help                  cette aide\n\n"
    "Sortie : 0 résultat affiché, 1 règle ou situation invalide, 2 mauvais usage.\n"
    "Le format des règles et de la situation est décrit dans docs/rules.md.\n";

struct options {
	const char *rule, *input, *variables, *date, *version_date, *parts;
	const char *aid, *tenant; /* --aid: a stored aid type (cmd_aid.c) */
	char today[16];
};

/* The rule to evaluate and what the output says about it. */
struct source {
	json_t *file;          /* the document read (owned) */
	const json_t *version; /* the rule document inside it (borrowed) */
	json_t *meta;          /* "aide", "version" for the output (owned, may be NULL) */
};

static int fail(const char *fmt, const char *a, const char *b)
{
	fputs("cassis simulate: ", stderr);
	fprintf(stderr, fmt, a, b ? b : "");
	fputc('\n', stderr);
	return 1;
}

static json_t *load_json(const char *path)
{
	json_error_t e;
	json_t *j;

	j = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &e)
	                           : json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		if (e.line <= 0)
			fprintf(stderr, "cassis simulate: impossible de lire « %s »\n", path);
		else
			fprintf(stderr,
			        "cassis simulate: « %s » n'est pas du JSON valide (ligne %d, "
			        "colonne %d)\n",
			        path, e.line, e.column);
	}
	return j;
}

static int valid_date(const char *s)
{
	int64_t t;

	return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' && clock_parse(s, &t) == 0;
}

/* An aid type file ("versions": [...]) or a bare rule document. */
static int load_rule_file(const struct options *o, struct source *src)
{
	const json_t *versions;
	const char *date = o->version_date ? o->version_date : o->date;

	src->file = load_json(o->rule);
	if (!src->file)
		return 1;
	versions = json_object_get(src->file, "versions");
	if (!versions) {
		src->version = src->file;
		return 0;
	}
	src->version = rule_version_at(versions, date);
	if (!src->version)
		return fail("aucune version de la règle n'est en vigueur le %s%s", date, NULL);
	src->meta = json_pack(
	    "{s:{s:O?, s:O?}, s:{s:O?, s:O?}}", "aide", "code", json_object_get(src->file, "code"),
	    "libelle", json_object_get(src->file, "libelle"), "version", "du",
	    json_object_get(src->version, "du"), "au", json_object_get(src->version, "au"));
	return 0;
}

static void print_field_errors(const char *what, const json_t *errors)
{
	const char *k;
	json_t *m;

	json_object_foreach((json_t *)errors, k, m)
	    fprintf(stderr, "cassis simulate: %s invalide : %s : %s\n", what, k,
	            json_string_value(m) ? json_string_value(m) : "valeur invalide");
}

/* The variables: computed from the situation, or given as they are. */
static int load_vars(const struct options *o, json_t **vars)
{
	json_t *in, *parts = NULL, *errors = NULL;
	int rc;

	in = load_json(o->variables ? o->variables : o->input);
	if (!in)
		return 1;
	if (!json_is_object(in)) {
		json_decref(in);
		return fail("%s : un objet JSON { … } est attendu%s",
		            o->variables ? o->variables : o->input, NULL);
	}
	if (o->variables) {
		*vars = in;
		return 0;
	}
	if (o->parts && !(parts = load_json(o->parts))) {
		json_decref(in);
		return 1;
	}
	rc = situation_vars(in, parts, o->date, vars, &errors);
	if (rc != 0) {
		print_field_errors("situation", errors);
		if (!errors)
			fail("situation invalide%s%s", "", NULL);
	}
	json_decref(errors);
	json_decref(parts);
	json_decref(in);
	return rc == 0 ? 0 : 1;
}

static void print_rule_error(const struct rule_error *e)
{
	fprintf(stderr, "cassis simulate: règle invalide");
	if (*e->path)
		fprintf(stderr, " (%s)", e->path);
	if (e->line > 0)
		fprintf(stderr, ", ligne %d, colonne %d", e->line, e->column);
	fprintf(stderr, " : %s\n", e->message);
}

static int evaluate(const struct options *o, const struct source *src, json_t *vars)
{
	struct rule_error e;
	struct rule *r = rule_parse(src->version, &e);
	json_t *res = NULL, *out;
	int rc;

	if (!r) {
		print_rule_error(&e);
		return 1;
	}
	rc = rule_eval(r, vars, &res);
	rule_free(r);
	if (rc != 0)
		return fail("l'évaluation a échoué%s%s", "", NULL);
	out = src->meta ? json_copy(src->meta) : json_object();
	json_object_set_new(out, "date", json_string(o->date));
	json_object_update(out, res);
	json_object_set(out, "variables", vars);
	json_decref(res);
	rc = json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : 1;
	fputc('\n', stdout);
	json_decref(out);
	return rc;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {{"rule", required_argument, NULL, 'r'},
	                                     {"input", required_argument, NULL, 'i'},
	                                     {"variables", required_argument, NULL, 'V'},
	                                     {"date", required_argument, NULL, 'd'},
	                                     {"version-date", required_argument, NULL, 'D'},
	                                     {"parts-caf", required_argument, NULL, 'p'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {"aid", required_argument, NULL, 'a'},
	                                     {"tenant", required_argument, NULL, 't'},
	                                     {"db", required_argument, NULL, 'b'},
	                                     {NULL, 0, NULL, 0}};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': o->rule = optarg; break;
		case 'i': o->input = optarg; break;
		case 'V': o->variables = optarg; break;
		case 'd': o->date = optarg; break;
		case 'D': o->version_date = optarg; break;
		case 'p': o->parts = optarg; break;
		case 'a': o->aid = optarg; break;
		case 't': o->tenant = optarg; break;
		case 'b': cli_db_url = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("simulate", "option inconnue ou incomplète");
		}
	}
	if (optind < argc)
		return cli_usage_error("simulate", "argument inattendu");
	if (!o->rule == !o->aid)
		return cli_usage_error("simulate",
		                       "indiquez la règle : --rule FICHIER ou --aid CODE");
	if (o->aid && (o->variables || o->parts))
		return cli_usage_error("simulate",
		                       "avec --aid : --input seulement (la table des parts "
		                       "est celle du CCAS)");
	if (!o->input == !o->variables)
		return cli_usage_error("simulate",
		                       "indiquez la situation : --input FICHIER (ou --variables)");
	return 0;
}

int cmd_simulate(int argc, char **argv)
{
	struct options o;
	struct source src = {NULL, NULL, NULL};
	json_t *vars = NULL;
	int y, m, d, rc;

	memset(&o, 0, sizeof(o));
	rc = parse_options(argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	clock_ymd(clock_now(), &y, &m, &d);
	snprintf(o.today, sizeof(o.today), "%04d-%02d-%02d", y, m, d);
	if (o.aid)
		return o.date && !valid_date(o.date)
		           ? cli_usage_error("simulate", "date invalide : écrivez AAAA-MM-JJ")
		           : cli_simulate_aid(o.aid, o.tenant, o.input, o.date);
	if (!o.date)
		o.date = o.today;
	if (!valid_date(o.date) || (o.version_date && !valid_date(o.version_date)))
		return cli_usage_error("simulate", "date invalide : écrivez AAAA-MM-JJ");
	rc = load_rule_file(&o, &src);
	if (rc == 0)
		rc = load_vars(&o, &vars);
	if (rc == 0)
		rc = evaluate(&o, &src, vars);
	json_decref(vars);
	json_decref(src.meta);
	json_decref(src.file);
	return rc;
}
