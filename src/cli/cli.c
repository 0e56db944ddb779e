#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"
#include "store/db.h"
#include "store/migrate.h"

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
	if (!ok)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return xstrdup(line);
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
