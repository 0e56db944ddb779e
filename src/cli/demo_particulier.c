/* The demonstration CCAS and API Particulier: its settings point at the
 * local stand-in that `make run` starts (cassis standin particulier), with
 * a demonstration token in a file next to the database, and its aid types
 * ask for the data they need. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/consultations.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"

#define DEMO_PARTICULIER_URL "http://127.0.0.1:8081"
#define DEMO_TOKEN           "jeton-de-demonstration-cassis\n"

/* The aid types and the data they keep: the household composition where the
 * aid depends on it; the energy aid only needs the quotient. */
static const char *const demo_scopes[][2] = {
    {"aide_alimentaire", "cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse"},
    {"aide_vacances", "cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse"},
    {"aide_logement", "cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse"},
    {"secours_urgence", "cnaf_quotient_familial cnaf_allocataires cnaf_enfants cnaf_adresse"},
    {"aide_energie", "cnaf_quotient_familial"},
};

/* The directory of the database file (absolute), var/ otherwise. */
static int token_path(char *out, size_t outsz)
{
	char dir[PATH_MAX], abs[PATH_MAX];
	const char *url = cli_db_url;
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	const char *slash = strrchr(path, '/');
	if (db_url_kind(url) == DB_SQLITE && slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else if (db_url_kind(url) == DB_SQLITE)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "var");
	mkdir(dir, 0700);
	if (!realpath(dir, abs))
		return -1;
	snprintf(out, outsz, "%s/demo-particulier.token", abs);
	return 0;
}

static int write_token(const char *path)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return 0; /* already there: kept */
	int ok = fputs(DEMO_TOKEN, f) >= 0;
	ok = fclose(f) == 0 && ok;
	chmod(path, 0600);
	return ok ? 0 : -1;
}

static int set_scopes(struct db *db, const struct actor *admin)
{
	int err;
	json_t *aids = aid_type_list(db, admin, 0, &err);
	size_t i;
	json_t *a;
	json_array_foreach(aids, i, a)
	{
		const char *code = json_string_value(json_object_get(a, "code"));
		for (size_t k = 0; k < sizeof(demo_scopes) / sizeof(demo_scopes[0]); k++) {
			if (strcmp(code, demo_scopes[k][0]) != 0)
				continue;
			json_t *in = json_pack("{s:s}", "scopes", demo_scopes[k][1]);
			json_t *errors = NULL;
			aid_scopes_set(db, admin, json_integer_value(json_object_get(a, "id")), in,
			               &errors);
			json_decref(errors);
			json_decref(in);
		}
	}
	json_decref(aids);
	return aids ? 0 : -1;
}

int demo_wire_particulier(struct db *db, const char *siret, int64_t tenant_id, const char *url)
{
	struct actor op, admin;
	char path[PATH_MAX + 64];
	json_t *errors = NULL;
	int err;
	cli_operator(&op);
	json_t *current = provider_get_particulier(db, &op, siret, &err);
	if (current) {
		json_decref(current);
		return 0; /* set before, maybe by the operator: kept */
	}
	if (token_path(path, sizeof(path)) != 0 || write_token(path) != 0) {
		fprintf(stderr, "cassis demo : impossible d'écrire le jeton de démonstration\n");
		return 1;
	}
	int rc = provider_set_particulier(db, &op, siret, url ? url : DEMO_PARTICULIER_URL, path,
	                                  &errors);
	json_decref(errors);
	if (rc != 0) {
		fprintf(stderr, "cassis demo : raccordement à API Particulier refusé (%s)\n",
		        cas_err_name(rc));
		return 1;
	}
	cli_operator(&admin);
	admin.tenant_id = tenant_id;
	if (set_scopes(db, &admin) != 0)
		return 1;
	printf("API Particulier : simulateur local %s (jeton de démonstration %s).\n",
	       url ? url : DEMO_PARTICULIER_URL, path);
	return 0;
}
