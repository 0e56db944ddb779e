#include "cli/cli.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/tenant_store.h"

const char *cli_db_url;

static void ensure_parent_dir(const char *url)
{
	if (db_url_kind(url) == DB_POSTGRESQL)
		return; /* a server, not a file */
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return;
	char *dir = xstrndup(path, (size_t)(slash - path));
	mkdir(dir, 0750);
	free(dir);
}

/* The URL without its password ("postgresql://u:secret@h/db" prints as
 * "postgresql://u:***@h/db"; a password= parameter likewise). */
void cli_print_url(FILE *out, const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	const char *rest = url;
	if (colon) {
		fprintf(out, "%.*s:***", (int)(colon - url), url);
		rest = at;
	}
	const char *pw = strstr(rest, "password=");
	if (pw) {
		const char *end = strchr(pw, '&');
		fprintf(out, "%.*spassword=***%s", (int)(pw - rest), rest, end ? end : "");
	} else {
		fputs(rest, out);
	}
}

int cli_open_db(struct db **db)
{
	if (!cli_db_url)
		cli_db_url = getenv("CASSIS_DB");
	if (!cli_db_url || !*cli_db_url)
		cli_db_url = "sqlite:var/cassis.db";
	ensure_parent_dir(cli_db_url);
	if (db_open(cli_db_url, db) != 0) {
		fputs("cassis: impossible d'ouvrir la base ", stderr);
		cli_print_url(stderr, cli_db_url);
		fputc('\n', stderr);
		return 1;
	}
	if (migrate_up(*db, NULL) != 0) {
		fprintf(stderr, "cassis: la migration de la base a échoué\n");
		db_close(*db);
		return 1;
	}
	if (cli_data_key_setup(*db) != 0) { /* the data key ring (cmd_keys_data.c) */
		db_close(*db);
		return 1;
	}
	return 0;
}

void cli_operator(struct actor *who)
{
	actor_system(who, "ligne de commande");
}

char *cli_read_secret(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f)
		return NULL;
	char line[1100];
	char *ok = fgets(line, sizeof(line), f);
	if (f != stdin)
		fclose(f);
	char *out = NULL;
	if (ok) {
		line[strcspn(line, "\r\n")] = '\0';
		out = xstrdup(line);
	}
	sodium_memzero(line, sizeof(line));
	return out;
}

int cli_usage_error(const char *cmd, const char *message)
{
	fprintf(stderr, "cassis %s: %s\nVoir « cassis %s --help ».\n", cmd, message, cmd);
	return EXIT_USAGE;
}

long cli_parse_long(const char *s, long min, long max)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	return (*end || v < min || v > max) ? -1 : v;
}

long cli_parse_seconds_ms(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0.001 && v <= 3600))
		return -1;
	return (long)(v * 1000.0 + 0.5);
}

void cli_wipe_free(char *s)
{
	if (!s)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

/* s without its surrounding blanks, moved to its start; 0 when blank. */
static size_t trim_in_place(char *s)
{
	size_t start = 0, end = strlen(s);
	while (start < end && isspace((unsigned char)s[start]))
		start++;
	while (end > start && isspace((unsigned char)s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	memset(s + (end - start), 0, start + 1);
	return end - start;
}

char *cli_read_secret_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 64 * 1024);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (f != stdin)
		fclose(f);
	sodium_memzero(chunk, sizeof(chunk));
	int too_big = b.err != 0;
	char *s = buf_steal(&b);
	if (too_big || trim_in_place(s) == 0) {
		cli_wipe_free(s);
		return NULL;
	}
	return s;
}

void cli_print_json(FILE *out, const json_t *j, size_t flags)
{
	char *text = json_dumps(j, flags);
	fprintf(out, "%s\n", text ? text : "{}");
	json_free_text(text);
}

int cli_parse_options(const struct cli_options *o, int argc, char **argv, void *ctx)
{
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", o->opts, NULL)) != -1) {
		if (opt == o->help_opt) {
			fputs(o->help, stdout);
			return -1;
		}
		int rc = opt == '?' ? cli_usage_error(o->cmd, "option inconnue ou valeur manquante")
		                    : o->set(opt, optarg, ctx);
		if (rc != 0)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error(o->cmd, "argument inattendu");
	return 0;
}

void cli_run_threads(int n, void *(*fn)(void *), void *arg)
{
	pthread_t th[64];
	int started = 0;
	for (int i = 0; i < n && i < 64; i++)
		if (pthread_create(&th[started], NULL, fn, arg) == 0)
			started++;
	if (started == 0)
		fn(arg);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

int cli_one_subcommand(int argc, char **argv, const char *cmd, const char *sub, const char *help)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], sub) == 0)
		return -1;
	char why[128];
	snprintf(why, sizeof(why), "sous-commande inconnue (%s)", sub);
	return cli_usage_error(cmd, why);
}

void cli_count_status(json_t *statuses, int http_status)
{
	char st[16];
	snprintf(st, sizeof(st), "%d", http_status);
	json_int_t seen = json_integer_value(json_object_get(statuses, st));
	json_object_set_new(statuses, st, json_integer(seen + 1));
}

void cli_print_outcome(const json_t *out, int ok)
{
	cli_print_json(ok ? stdout : stderr, out, ok ? JSON_INDENT(2) : JSON_COMPACT);
}

int cli_tenant_of(struct db *db, const char *cmd, const char *siret, int64_t none, int64_t *id)
{
	*id = none;
	if (!siret)
		return 0;
	int rc;
	json_t *t = tenant_store_by_siret(db, siret, &rc);
	if (!t) {
		fprintf(stderr, "cassis %s : aucun CCAS de SIRET %s dans cette base.\n", cmd,
		        siret);
		return rc == CAS_ENOTFOUND ? EXIT_USAGE : 1;
	}
	*id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	return 0;
}
