#include "standin/fixtures.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "standin/folder_scan.h"

#define FIXTURE_FILE_MAX (4 * 1024 * 1024)

/* ---- one file ---------------------------------------------------------- */

static int fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return CAS_EINVAL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain ~, null or empty scalar: no value. */
static int is_null(yaml_node_t *n)
{
	const char *s = scalar(n);
	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	       strcmp(s, "NULL") == 0;
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *name)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar(yaml_document_get_node(doc, p->key));
		if (k && strcmp(k, name) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static int read_list(yaml_document_t *doc, yaml_node_t *seq, const char *name,
                     struct sp_params *out, char *err, size_t errsz)
{
	sp_touch_list(out, name);
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top;
	     i++) {
		yaml_node_t *v = yaml_document_get_node(doc, *i);
		if (!scalar(v))
			return fail(err, errsz,
			            "params.%s : la liste ne doit contenir que des valeurs", name);
		sp_add_list(out, name, is_null(v) ? "" : scalar(v));
	}
	return 0;
}

static int read_params(yaml_document_t *doc, yaml_node_t *map, struct sp_params *out, char *err,
                       size_t errsz)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return fail(err, errsz, "la clé « params » manque ou n'est pas une table");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *name = scalar(yaml_document_get_node(doc, p->key));
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		if (!name)
			return fail(err, errsz, "params : nom de paramètre invalide");
		if (v && v->type == YAML_SEQUENCE_NODE) {
			if (read_list(doc, v, name, out, err, errsz) != 0)
				return CAS_EINVAL;
		} else if (scalar(v)) {
			if (!is_null(v))
				sp_set(out, name, scalar(v));
		} else {
			return fail(err, errsz, "params.%s : valeur ou liste attendue", name);
		}
	}
	return 0;
}

static int read_status(yaml_node_t *n, int *status, char *err, size_t errsz)
{
	const char *s = scalar(n);
	char *end = NULL;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || end == s || *end || v < 100 || v > 599)
		return fail(err, errsz, "la clé « status » doit être un code HTTP (100 à 599)");
	*status = (int)v;
	return 0;
}

static int read_payload(yaml_node_t *n, char **payload, char *err, size_t errsz)
{
	const char *s = scalar(n);
	if (!s)
		return fail(err, errsz, "la clé « payload » manque ou n'est pas un texte");
	json_error_t je;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &je);
	if (!j) {
		char why[200];
		snprintf(why, sizeof(why), "ligne %d : %s", je.line, je.text);
		return fail(err, errsz, "« payload » n'est pas du JSON valide (%s)", why);
	}
	json_decref(j);
	*payload = xstrdup(s);
	return 0;
}

static int read_document(yaml_document_t *doc, fixture_key_fn key, struct fixture *out, char *err,
                         size_t errsz)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail(err, errsz,
		            "le fichier doit contenir une table (params, status, payload)");
	struct sp_params params;
	sp_init(&params);
	int rc = read_params(doc, map_get(doc, root, "params"), &params, err, errsz);
	if (rc == 0)
		rc = read_status(map_get(doc, root, "status"), &out->status, err, errsz);
	if (rc == 0 && !(out->key = key(&params)))
		rc = fail(err, errsz, "les paramètres ne peuvent pas être comparés à un appel");
	if (rc == 0)
		rc = read_payload(map_get(doc, root, "payload"), &out->payload, err, errsz);
	sp_free(&params);
	return rc;
}

int fixture_parse(const char *text, size_t len, fixture_key_fn key, struct fixture *out, char *err,
                  size_t errsz)
{
	memset(out, 0, sizeof(*out));
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return fail(err, errsz, "mémoire insuffisante");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		char why[200];
		snprintf(why, sizeof(why), "ligne %zu : %s", parser.problem_mark.line + 1,
		         parser.problem ? parser.problem : "erreur");
		yaml_parser_delete(&parser);
		return fail(err, errsz, "YAML invalide (%s)", why);
	}
	int rc = read_document(&doc, key, out, err, errsz);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc != 0)
		fixture_clear(out);
	return rc;
}

void fixture_clear(struct fixture *f)
{
	free(f->key);
	free(f->payload);
	memset(f, 0, sizeof(*f));
}

/* ---- the folder -------------------------------------------------------- */

struct named_fixture {
	char name[256];
	struct fixture fx;
};

struct fixture_folder {
	struct fscan scan;
	fixture_key_fn key;
	struct named_fixture *cases;
	int ncases;
	int fallback; /* index of 404.yaml in cases, -1 when none */
};

struct load_arg {
	fixture_key_fn key;
	struct fixture *fx;
};

static int parse_case(void *arg, const char *text, size_t len, const char *name, char *err,
                      size_t errsz)
{
	struct load_arg *la = arg;
	(void)name;
	return fixture_parse(text, len, la->key, la->fx, err, errsz);
}

static int load_one(struct fixture_folder *ff, const char *name, struct fixture *fx)
{
	struct load_arg la = {ff->key, fx};
	return fscan_load(ff->scan.dir, name, FIXTURE_FILE_MAX, parse_case, &la);
}

static void drop_cases(struct fixture_folder *ff)
{
	for (int i = 0; i < ff->ncases; i++)
		fixture_clear(&ff->cases[i].fx);
	free(ff->cases);
	ff->cases = NULL;
	ff->ncases = 0;
	ff->fallback = -1;
}

static int is_fallback_name(const char *name)
{
	return strcmp(name, "404.yaml") == 0 || strcmp(name, "404.yml") == 0;
}

/* Reports a case that an earlier file hides (same parameters). */
static void warn_shadowed(const struct fixture_folder *ff, int i)
{
	for (int j = 0; j < i; j++)
		if (strcmp(ff->cases[j].fx.key, ff->cases[i].fx.key) == 0) {
			log_event(LOG_WARN, "fixture shadowed",
			          json_pack("{s:s, s:s, s:s}", "dir", ff->scan.dir, "file",
			                    ff->cases[i].name, "answered_by", ff->cases[j].name));
			return;
		}
}

static void load_all(void *folder, char **names, int n)
{
	struct fixture_folder *ff = folder;
	drop_cases(ff);
	ff->cases = xcalloc((size_t)(n ? n : 1), sizeof(*ff->cases));
	for (int i = 0; i < n; i++) {
		struct named_fixture *c = &ff->cases[ff->ncases];
		if (load_one(ff, names[i], &c->fx) != 0)
			continue;
		snprintf(c->name, sizeof(c->name), "%s", names[i]);
		if (ff->fallback < 0 && is_fallback_name(names[i]))
			ff->fallback = ff->ncases;
		warn_shadowed(ff, ff->ncases);
		ff->ncases++;
	}
	log_event(
	    LOG_INFO, "fixtures loaded",
	    json_pack("{s:s, s:i, s:i}", "dir", ff->scan.dir, "files", n, "cases", ff->ncases));
}

struct fixture_folder *fixture_folder_open(const char *dir, fixture_key_fn key)
{
	struct fixture_folder *ff = xcalloc(1, sizeof(*ff));
	static const char *const exts[] = {".yaml", ".yml", NULL};
	ff->key = key;
	ff->fallback = -1;
	fscan_init(&ff->scan, dir, exts, load_all, ff);
	return ff;
}

void fixture_folder_close(struct fixture_folder *ff)
{
	if (!ff)
		return;
	drop_cases(ff);
	fscan_destroy(&ff->scan);
	free(ff);
}

int fixture_folder_count(struct fixture_folder *ff)
{
	fscan_lock(&ff->scan);
	int n = ff->ncases;
	fscan_unlock(&ff->scan);
	return n;
}

static void fill_hit(const struct named_fixture *c, int fallback, struct fixture_hit *hit)
{
	hit->status = c->fx.status;
	hit->payload = xstrdup(c->fx.payload);
	snprintf(hit->file, sizeof(hit->file), "%s", c->name);
	hit->fallback = fallback;
}

int fixture_folder_find(struct fixture_folder *ff, const char *key, struct fixture_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	int rc = CAS_ENOTFOUND;
	fscan_lock(&ff->scan);
	for (int i = 0; key && i < ff->ncases && rc != 0; i++)
		if (strcmp(ff->cases[i].fx.key, key) == 0) {
			fill_hit(&ff->cases[i], 0, hit);
			rc = 0;
		}
	if (rc != 0 && ff->fallback >= 0) {
		fill_hit(&ff->cases[ff->fallback], 1, hit);
		rc = 0;
	}
	fscan_unlock(&ff->scan);
	return rc;
}
