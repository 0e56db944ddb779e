/* cassis keys rotate, retire and status: the data keys of an installation
 * (see cmd_keys_data.c and app/data_keys.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/data_keys.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/seal.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/sealed_store.h"

static int ring_error(const char *path, int rc)
{
	fprintf(stderr, "cassis keys : trousseau %s illisible (%s).\n", path,
	        rc == CAS_EINVAL ? "ce n'est pas un trousseau de clés de chiffrement des données"
	                         : strerror(errno));
	return 1;
}

/* The ring file (may not exist yet) and, after its keys, those of the
 * previous ring: old_path, or the installation's when the file is new. */
static int read_rings(const char *path, const char *old_path, struct seal_ring *ring, int *had_keys)
{
	char buf[4096];
	struct seal_ring old = {0};
	int rc = seal_ring_read(path, ring);
	if (rc != 0 && rc != CAS_ENOTFOUND)
		return ring_error(path, rc);
	*had_keys = rc == 0;
	if (!old_path && !*had_keys)
		old_path = cli_data_key_path(buf, sizeof(buf));
	if (old_path && strcmp(old_path, path) != 0) {
		rc = seal_ring_read(old_path, &old);
		if (rc != 0 && (rc != CAS_ENOTFOUND || old_path != buf))
			return ring_error(old_path, rc);
	}
	for (int i = 0; i < old.n; i++)
		if (seal_ring_find(ring, old.keys[i].id_hex) < 0 &&
		    seal_ring_add(ring, &old.keys[i], 0) != 0) {
			seal_ring_wipe(&old);
			return ring_error(path, CAS_EINVAL);
		}
	seal_ring_wipe(&old);
	return 0;
}

/* The db key row with this state, or NULL. */
static const json_t *key_in_state(const json_t *keys, const char *state)
{
	size_t i;
	const json_t *k;
	json_array_foreach(keys, i, k)
	{
		if (strcmp(json_string_value(json_object_get(k, "state")), state) == 0)
			return k;
	}
	return NULL;
}

static int key_known(const json_t *keys, const char *id)
{
	size_t i;
	const json_t *k;
	json_array_foreach(keys, i, k)
	{
		if (strcmp(json_string_value(json_object_get(k, "key_id")), id) == 0)
			return 1;
	}
	return 0;
}

/* Puts the rotation's key first in ring: the one of an interrupted
 * rotation, else the file's first key when the database does not know it
 * (made by init-data), else a new one. Prints which. */
static int choose_target(const json_t *keys, struct seal_ring *ring, int had_keys)
{
	const json_t *actif = key_in_state(keys, "actif");
	const char *aid = actif ? json_string_value(json_object_get(actif, "key_id")) : NULL;
	struct seal_key k;
	int i = aid ? seal_ring_find(ring, aid) : -1;
	if (key_in_state(keys, "ancien") && i >= 0) {
		printf("Reprise de la rotation interrompue vers la clé %s.\n", aid);
		k = ring->keys[i];
	} else if (had_keys && !key_known(keys, ring->keys[0].id_hex)) {
		k = ring->keys[0];
		printf("Nouvelle clé : %s (déjà dans le trousseau).\n", k.id_hex);
	} else {
		seal_key_generate(&k);
		printf("Nouvelle clé : %s.\n", k.id_hex);
	}
	int rc = seal_ring_add(ring, &k, 1);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Every key the database still needs is in ring; else prints which not. */
static int ring_complete(const json_t *keys, const struct seal_ring *ring)
{
	size_t i;
	const json_t *k;
	int ok = 1;
	json_array_foreach(keys, i, k)
	{
		const char *id = json_string_value(json_object_get(k, "key_id"));
		const char *state = json_string_value(json_object_get(k, "state"));
		if (strcmp(state, "retire") == 0 || seal_ring_find(ring, id) >= 0)
			continue;
		fprintf(stderr,
		        "cassis keys rotate : la clé %s, qui a chiffré des données de la base, "
		        "n'est ni dans le trousseau ni dans --old-key : rien n'est rechiffré.\n",
		        id);
		ok = 0;
	}
	return ok;
}

static void progress(const char *label, int64_t seen, void *ctx)
{
	int64_t *last = ctx;
	if (seen / 1000 != *last / 1000)
		fprintf(stderr, "  %s : %lld lignes parcourues\n", label, (long long)seen);
	*last = seen;
}

static void print_report(const struct data_keys_report *rep)
{
	for (int i = 0; i < rep->ncolumns; i++)
		printf("  %s : %lld rechiffrées, %lld chiffrées (elles étaient en clair), "
		       "%lld déjà sous la clé\n",
		       sealed_columns[i].label, (long long)rep->resealed[i],
		       (long long)rep->cleared[i], (long long)rep->current[i]);
}

static int rotate_failed(const struct data_keys_report *rep, int rc)
{
	if (rep->failed_at[0])
		fprintf(stderr, "cassis keys rotate : la donnée %s ne s'ouvre pas : %s.\n",
		        rep->failed_at, seal_strerror(rep->failed_rc));
	else if (rc == CAS_ECONFLICT)
		fprintf(stderr, "cassis keys rotate : des données ont encore été écrites sous une "
		                "ancienne clé pendant la rotation (un serveur qui ne lit pas ce "
		                "trousseau ?).\n");
	else
		fprintf(stderr, "cassis keys rotate : erreur de la base (%s).\n", cas_err_name(rc));
	fprintf(stderr, "Rotation interrompue. Relancez la même commande : elle reprend où elle "
	                "s'est arrêtée.\n");
	return 1;
}

/* Writes the ring, lets the servers follow it, and re-seals. */
static int rotate_run(struct db *db, const char *path, struct seal_ring *ring, int batch, int wait)
{
	struct data_keys_report rep;
	struct actor who;
	int64_t last = 0;
	if (seal_ring_write(path, ring) != 0) {
		fprintf(stderr, "cassis keys rotate : impossible d'écrire %s (%s).\n", path,
		        strerror(errno));
		return 1;
	}
	printf("Trousseau %s : la clé %s chiffre désormais", path, ring->keys[0].id_hex);
	for (int i = 1; i < ring->n; i++)
		printf("%s%s", i == 1 ? " ; relecture : " : ", ", ring->keys[i].id_hex);
	printf(".\n");
	fflush(stdout);
	seal_set_ring(ring);
	if (wait > 0)
		sleep((unsigned)wait); /* the servers read the file again within a second */
	cli_operator(&who);
	int rc = data_keys_rotate(db, &who, batch, progress, &last, &rep);
	if (rc != 0)
		return rotate_failed(&rep, rc);
	printf("Rotation terminée : %lld valeurs rechiffrées, %lld chiffrées, %lld déjà sous la "
	       "clé %s.\n",
	       (long long)rep.resealed_total, (long long)rep.cleared_total,
	       (long long)rep.current_total, ring->keys[0].id_hex);
	print_report(&rep);
	if (ring->n > 1)
		printf("Les anciennes clés ne servent plus qu'aux sauvegardes faites avant cette "
		       "rotation.\nRetirez-les du trousseau avec « cassis keys retire --data-key "
		       "%s » : elles sont alors mises à part dans un fichier à ranger avec ces "
		       "sauvegardes.\n",
		       path);
	return 0;
}

int cli_keys_rotate(struct db *db, const char *path, const char *old_path, int batch, int wait)
{
	struct seal_ring ring;
	int had_keys, rc = 1;
	if (read_rings(path, old_path, &ring, &had_keys) != 0)
		return 1;
	json_t *keys = sealed_store_keys(db);
	if (!keys) {
		fprintf(stderr, "cassis keys rotate : lecture des clés de la base impossible.\n");
	} else if (ring_complete(keys, &ring) && choose_target(keys, &ring, had_keys) == 0) {
		rc = rotate_run(db, path, &ring, batch, wait);
	} else if (ring.n >= SEAL_RING_MAX) {
		fprintf(stderr, "cassis keys rotate : le trousseau est plein ; retirez d'abord les "
		                "anciennes clés (cassis keys retire).\n");
	}
	json_decref(keys);
	seal_ring_wipe(&ring);
	return rc;
}

/* --- retire --- */

/* Writes the keys taken out of the ring to path.retiree-<id>. */
static int archive(const char *path, const struct seal_ring *out, char *apath, size_t size)
{
	snprintf(apath, size, "%s.retiree-%s", path, out->keys[0].id_hex);
	if (access(apath, F_OK) == 0)
		return 0; /* kept from an earlier run */
	return seal_ring_write(apath, out);
}

/* Moves from ring to out the keys no value uses (others: ids in use). */
static void pick_unused(struct seal_ring *ring, const json_t *keys, const char *others,
                        struct seal_ring *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = ring->n - 1; i >= 1; i--) {
		const char *id = ring->keys[i].id_hex;
		size_t j;
		const json_t *k;
		int needed = strstr(others, id) != NULL;
		json_array_foreach(keys, j, k)
		{
			const char *state = json_string_value(json_object_get(k, "state"));
			if (strcmp(json_string_value(json_object_get(k, "key_id")), id) == 0 &&
			    strcmp(state, "retire") != 0)
				needed = 1;
		}
		if (!needed) {
			seal_ring_add(out, &ring->keys[i], 0);
			seal_ring_remove(ring, id);
		}
	}
}

static int retire_write(const char *path, struct seal_ring *ring, struct seal_ring *out)
{
	char apath[4200];
	if (out->n == 0) {
		printf("Aucune clé à retirer : le trousseau %s ne contient que des clés utiles.\n",
		       path);
		return 0;
	}
	if (archive(path, out, apath, sizeof(apath)) != 0 || seal_ring_write(path, ring) != 0) {
		fprintf(stderr, "cassis keys retire : impossible d'écrire %s (%s).\n", path,
		        strerror(errno));
		return 1;
	}
	for (int i = 0; i < out->n; i++)
		printf("Clé %s retirée du trousseau.\n", out->keys[i].id_hex);
	printf("Elle est mise à part dans %s : rangez ce fichier avec les sauvegardes faites "
	       "avant la rotation (elles en ont besoin), hors du serveur.\n",
	       apath);
	return 0;
}

int cli_keys_retire(struct db *db, const char *path)
{
	struct seal_ring ring, out;
	struct data_keys_report rep;
	char others[256];
	int rc = seal_ring_read(path, &ring);
	if (rc != 0)
		return ring_error(path, rc);
	seal_set_ring(&ring);
	json_t *keys = sealed_store_keys(db);
	rc = keys ? data_keys_census(db, &rep, others, sizeof(others)) : CAS_EDB;
	if (rc == 0) {
		pick_unused(&ring, keys, others, &out);
		rc = retire_write(path, &ring, &out);
	} else {
		fprintf(stderr, "cassis keys retire : lecture de la base impossible (%s).\n",
		        cas_err_name(rc));
		rc = 1;
	}
	json_decref(keys);
	seal_ring_wipe(&ring);
	seal_ring_wipe(&out);
	return rc;
}

/* --- status --- */

static void print_db_keys(const json_t *keys)
{
	size_t i;
	const json_t *k;
	printf("Clés connues de la base :\n");
	if (json_array_size(keys) == 0)
		printf("  aucune (aucune donnée chiffrée)\n");
	json_array_foreach(keys, i, k)
	{
		char day[FR_DATETIME_SIZE];
		fr_date(json_integer_value(json_object_get(k, "created_at")), day);
		printf("  %s  %-7s depuis le %s\n", json_string_value(json_object_get(k, "key_id")),
		       json_string_value(json_object_get(k, "state")), day);
	}
}

int cli_keys_status(struct db *db, const char *path)
{
	char buf[4096], others[256];
	struct data_keys_report rep;
	json_t *keys = sealed_store_keys(db);
	if (!keys) {
		fprintf(stderr, "cassis keys status : lecture des clés de la base impossible.\n");
		return 1;
	}
	print_db_keys(keys);
	json_decref(keys);
	if (!path)
		path = cli_data_key_path(buf, sizeof(buf));
	int rc = seal_load(path);
	if (rc != 0)
		return ring_error(path, rc);
	struct seal_ring ring;
	seal_ring_get(&ring);
	printf("Trousseau %s :", path);
	for (int i = 0; i < ring.n; i++)
		printf(" %s%s", ring.keys[i].id_hex, i == 0 ? " (chiffre)" : "");
	printf("\n");
	seal_ring_wipe(&ring);
	if (data_keys_census(db, &rep, others, sizeof(others)) != 0)
		return 1;
	printf("Données : %lld sous la clé qui chiffre, %lld sous d'autres clés%s%s%s, "
	       "%lld en clair\n",
	       (long long)rep.current_total, (long long)rep.other_total, others[0] ? " (" : "",
	       others, others[0] ? ")" : "", (long long)rep.cleared_total);
	return 0;
}
