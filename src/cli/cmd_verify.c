/* The command-line side of "Vérifier la situation": the installation's key
 * of the numéro fiscal hash (created next to the signing key), the
 * tenants' API Impôt particulier settings (cassis tenant set-provider
 * --impots-*), and the demonstration CCAS wired to the local stand-in of
 * API Impôt particulier. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "app/aid_types.h"
#include "app/verify.h"
#include "base/err.h"
#include "base/log.h"
#include "cli/cli.h"
#include "store/db.h"

#define SPI_KEY_BYTES  32
#define SPI_KEY_PREFIX "spi-hash-key:"

/* --- the key of the SPI hash --- */

/* The key file beside the signing key: DIR/cassis-spi.key. */
static void spi_key_path(const char *signing_key, char *out, size_t outsz)
{
	const char *slash = strrchr(signing_key, '/');
	if (slash)
		snprintf(out, outsz, "%.*s/cassis-spi.key", (int)(slash - signing_key),
		         signing_key);
	else
		snprintf(out, outsz, "cassis-spi.key");
}

static int spi_key_create(const char *path)
{
	unsigned char key[SPI_KEY_BYTES];
	char b64[sodium_base64_ENCODED_LEN(SPI_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	randombytes_buf(key, sizeof(key));
	sodium_bin2base64(b64, sizeof(b64), key, sizeof(key), sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		sodium_memzero(b64, sizeof(b64));
		return errno == EEXIST ? 0 : -1;
	}
	FILE *f = fdopen(fd, "w");
	int ok = f && fprintf(f,
	                      "# Clé de l'empreinte des numéros fiscaux (Cassis). Sans elle, deux "
	                      "consultations\n# d'un même foyer fiscal ne peuvent plus être "
	                      "rapprochées : sauvegardez-la.\n%s%s\n",
	                      SPI_KEY_PREFIX, b64) > 0;
	ok = f && fclose(f) == 0 && ok;
	if (!f)
		close(fd);
	sodium_memzero(b64, sizeof(b64));
	return ok ? 1 : -1;
}

/* Reads the key line of path into verify_set_spi_key. 0 or -1. */
static int spi_key_load(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[256];
	unsigned char key[64];
	size_t n = 0;
	int rc = -1;
	if (!f)
		return -1;
	while (rc != 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, SPI_KEY_PREFIX, strlen(SPI_KEY_PREFIX)) != 0)
			continue;
		const char *b64 = line + strlen(SPI_KEY_PREFIX);
		if (sodium_base642bin(key, sizeof(key), b64, strlen(b64), NULL, &n, NULL,
		                      sodium_base64_VARIANT_ORIGINAL) == 0 &&
		    n >= 16) {
			verify_set_spi_key(key, n);
			rc = 0;
		}
	}
	fclose(f);
	sodium_memzero(line, sizeof(line));
	sodium_memzero(key, sizeof(key));
	return rc;
}

int cli_spi_key_setup(const char *signing_key)
{
	char path[PATH_MAX];
	spi_key_path(signing_key, path, sizeof(path));
	int created = spi_key_create(path);
	if (created < 0 || spi_key_load(path) != 0) {
		fprintf(stderr,
		        "cassis serve : clé de l'empreinte des numéros fiscaux illisible (%s). "
		        "Supprimez ce fichier s'il est vide : il sera recréé.\n",
		        path);
		return 1;
	}
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_msg(LOG_WARN,
		        "SPI hash key %s is readable by others than its owner (chmod 600)", path);
	log_msg(LOG_INFO, "SPI hash key %s%s", path, created == 1 ? " created" : "");
	return 0;
}

/* --- cassis tenant set-provider --impots-* --- */

static const char *const impots_options[][2] = {
    {"base_url", "--impots-url"},
    {"client_id_file", "--impots-client-id-file"},
    {"client_secret_file", "--impots-client-secret-file"},
    {"cert_file", "--impots-cert"},
    {"key_file", "--impots-key"},
    {"id_teleservice", "--impots-id-teleservice"},
};

static const char *option_of(const char *field)
{
	for (size_t i = 0; i < sizeof(impots_options) / sizeof(impots_options[0]); i++)
		if (strcmp(field, impots_options[i][0]) == 0)
			return impots_options[i][1];
	return field;
}

static int impots_show(struct db *db, const struct actor *who, const char *siret)
{
	int err;
	json_t *p = provider_get_impots(db, who, siret, &err);
	if (!p) {
		printf("API Impôt particulier : %s\n",
		       err == CAS_ENOTFOUND ? "non raccordé" : cas_err_name(err));
		return err == CAS_ENOTFOUND ? 0 : 1;
	}
	static const char *const labels[][2] = {
	    {"client_id_file", "Fichier de l'identifiant client"},
	    {"client_secret_file", "Fichier du secret client"},
	    {"cert_file", "Certificat client TLS"},
	    {"key_file", "Clé du certificat"},
	    {"id_teleservice", "ID_Teleservice"},
	};
	printf("API Impôt particulier : %s\n", json_string_value(json_object_get(p, "base_url")));
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		const char *v = json_string_value(json_object_get(p, labels[i][0]));
		printf("%s : %s\n", labels[i][1], v && *v ? v : "aucun");
	}
	json_decref(p);
	return 0;
}

int cli_impots_provider(struct db *db, const char *siret, json_t *settings)
{
	struct actor who;
	cli_operator(&who);
	if (!settings)
		return impots_show(db, &who, siret);
	json_t *errors = NULL;
	int rc = provider_set_impots(db, &who, siret, settings, &errors);
	if (rc == CAS_EINVAL) {
		const char *field;
		json_t *msg;
		fprintf(stderr, "cassis tenant set-provider : réglages de la DGFiP refusés\n");
		json_object_foreach(errors, field, msg)
		{
			fprintf(stderr, "  %s : %s\n", option_of(field), json_string_value(msg));
		}
		json_decref(errors);
		return EXIT_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis tenant set-provider : %s\n",
		        rc == CAS_ENOTFOUND ? "aucun CCAS avec ce SIRET" : cas_err_name(rc));
		return 1;
	}
	printf(
	    "CCAS %s raccordé à l'API Impôt particulier : %s (identifiants lus dans %s et %s).\n",
	    siret, json_string_value(json_object_get(settings, "base_url")),
	    json_string_value(json_object_get(settings, "client_id_file")),
	    json_string_value(json_object_get(settings, "client_secret_file")));
	return 0;
}

/* --- the demonstration CCAS --- */

#define DEMO_IMPOTS_URL "http://127.0.0.1:8082"

/* The DGFiP data the demo aids keep: everything shown by "Vérifier la
 * situation", the tax amount only where the aid depends on it. */
static const char *const demo_scopes[][2] = {
    {"aide_alimentaire", "dgfip_rfr dgfip_nbpart dgfip_sitfam dgfip_pac_nbPac dgfip_pac "
                         "dgfip_pariso dgfip_aft"},
    {"aide_vacances", "dgfip_rfr dgfip_nbpart dgfip_sitfam dgfip_pac_nbPac dgfip_aft"},
    {"aide_logement", "dgfip_rfr dgfip_nbpart dgfip_sitfam dgfip_pac_nbPac dgfip_pac "
                      "dgfip_aft dgfip_montTotIr"},
    {"secours_urgence", "dgfip_rfr dgfip_nbpart dgfip_sitfam dgfip_pac_nbPac dgfip_aft"},
    {"aide_energie", "dgfip_rfr dgfip_nbpart"},
};

/* DIR/NAME next to the database (var/ otherwise), absolute. */
static int demo_file(const char *name, char *out, size_t outsz)
{
	char dir[PATH_MAX], abs[PATH_MAX];
	const char *url = cli_db_url;
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	const char *slash = strrchr(path, '/');
	if (db_url_kind(url) == DB_SQLITE && slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), db_url_kind(url) == DB_SQLITE ? "." : "var");
	mkdir(dir, 0700);
	if (!realpath(dir, abs))
		return -1;
	snprintf(out, outsz, "%s/%s", abs, name);
	FILE *f = fopen(out, "wx");
	if (!f)
		return 0; /* there already: kept */
	int ok =
	    fputs(strstr(name, "secret") ? "secret-de-demonstration\n" : "cassis-demo\n", f) >= 0;
	ok = fclose(f) == 0 && ok;
	chmod(out, 0600);
	return ok ? 0 : -1;
}

static void demo_set_scopes(struct db *db, int64_t tenant_id)
{
	struct actor admin;
	int err;
	cli_operator(&admin);
	admin.tenant_id = tenant_id;
	json_t *aids = aid_type_list(db, &admin, 0, &err);
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
			aid_impots_scopes_set(
			    db, &admin, json_integer_value(json_object_get(a, "id")), in, &errors);
			json_decref(errors);
			json_decref(in);
		}
	}
	json_decref(aids);
}

int demo_wire_impots(struct db *db, const char *siret, int64_t tenant_id, const char *url)
{
	struct actor op;
	char id_file[PATH_MAX + 32], secret_file[PATH_MAX + 32];
	int err;
	cli_operator(&op);
	json_t *current = provider_get_impots(db, &op, siret, &err);
	if (current) {
		json_decref(current);
		return 0; /* set before, maybe by the operator: kept */
	}
	if (demo_file("demo-impots.client-id", id_file, sizeof(id_file)) != 0 ||
	    demo_file("demo-impots.client-secret", secret_file, sizeof(secret_file)) != 0) {
		fprintf(stderr,
		        "cassis demo : impossible d'écrire les identifiants de démonstration "
		        "de la DGFiP\n");
		return 1;
	}
	json_t *s = json_pack("{s:s, s:s, s:s, s:s}", "base_url", url ? url : DEMO_IMPOTS_URL,
	                      "client_id_file", id_file, "client_secret_file", secret_file,
	                      "id_teleservice", "CASSIS_DEMONSTRATION");
	json_t *errors = NULL;
	int rc = provider_set_impots(db, &op, siret, s, &errors);
	json_decref(errors);
	json_decref(s);
	if (rc != 0) {
		fprintf(stderr,
		        "cassis demo : raccordement à l'API Impôt particulier refusé (%s)\n",
		        cas_err_name(rc));
		return 1;
	}
	demo_set_scopes(db, tenant_id);
	printf("API Impôt particulier : simulateur local %s.\n", url ? url : DEMO_IMPOTS_URL);
	return 0;
}
