#include "app/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/migrate.h"

static int fail(struct backup_result *res, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct backup_result *res, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
	return rc;
}

static const char *copy_error(int rc)
{
	switch (rc) {
	case CAS_ENOTFOUND: return "le fichier source a disparu";
	case CAS_EINVAL: return "la source n'est pas une base SQLite lisible";
	case CAS_ECONFLICT: return "la base cible est restée verrouillée pendant 30 s";
	case CAS_EIO: return "erreur d'entrée-sortie (droits, place disque ?)";
	default: return "erreur de la base de données";
	}
}

/* A Cassis database as a source: readable, with its migrations table. */
static int check_source(const char *path, struct sqlite_file_info *info, int integrity,
                        struct backup_result *res)
{
	int rc = sqlite_file_inspect(path, integrity, info);
	if (rc == CAS_ENOTFOUND)
		return fail(res, rc, "%s n'existe pas", path);
	if (rc != 0)
		return fail(res, rc, "lecture de %s impossible", path);
	if (!info->is_database)
		return fail(res, CAS_EINVAL, "%s n'est pas une base SQLite", path);
	if (integrity && !info->integrity_ok)
		return fail(res, CAS_EINVAL, "%s ne passe pas le contrôle d'intégrité", path);
	if (!info->has_migrations)
		return fail(res, CAS_EINVAL,
		            "%s n'est pas une base Cassis (pas de table schema_migrations)", path);
	return 0;
}

/* Both paths name one existing file (a backup must not replace its own
 * source, nor a restore its target). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static void remove_leftovers(const char *path)
{
	static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		struct buf b;
		buf_init(&b, 8192);
		buf_printf(&b, "%s%s", path, suffixes[i]);
		if (!b.err)
			unlink(buf_cstr(&b));
		buf_free(&b);
	}
}

/* A new empty file next to file; caller frees the name. */
static char *temp_next_to(const char *file)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_printf(&b, "%s.partiel-XXXXXX", file);
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	char *name = buf_steal(&b);
	int fd = mkstemp(name);
	if (fd < 0) {
		free(name);
		return NULL;
	}
	close(fd);
	return name;
}

static void sync_dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir =
	    slash ? xstrndup(file, slash == file ? 1 : (size_t)(slash - file)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Moves tmp to file; without force, never over an existing file. */
static int publish(const char *tmp, const char *file, int force, struct backup_result *res)
{
	int rc = force ? rename(tmp, file) : link(tmp, file);
	if (rc != 0) {
		int e = errno;
		if (e == EEXIST)
			return fail(res, CAS_ECONFLICT,
			            "%s existe déjà (--force pour le remplacer)", file);
		return fail(res, CAS_EIO, "impossible d'écrire %s : %s", file, strerror(e));
	}
	if (!force)
		unlink(tmp);
	sync_dir_of(file);
	return 0;
}

static int copy_checked(const char *db_path, const char *tmp, const struct sqlite_pace *pace,
                        struct backup_result *res)
{
	int rc = sqlite_file_copy(db_path, tmp, pace, 1);
	if (rc != 0)
		return fail(res, rc, "la copie a échoué : %s", copy_error(rc));
	struct sqlite_file_info info;
	rc = sqlite_file_inspect(tmp, 1, &info);
	if (rc != 0 || !info.is_database || !info.integrity_ok || !info.has_migrations)
		return fail(res, rc ? rc : CAS_EDB,
		            "la copie ne passe pas le contrôle d'intégrité ; rien n'a été écrit");
	res->size = info.size;
	res->version = info.version;
	return 0;
}

int backup_to_file(const char *db_path, const char *file, int force, const struct sqlite_pace *pace,
                   struct backup_result *res)
{
	memset(res, 0, sizeof(*res));
	if (same_file(db_path, file))
		return fail(res, CAS_EINVAL, "%s est la base elle-même", file);
	struct stat sb;
	if (!force && stat(file, &sb) == 0)
		return fail(res, CAS_ECONFLICT, "%s existe déjà (--force pour le remplacer)", file);
	struct sqlite_file_info info;
	int rc = check_source(db_path, &info, 0, res);
	if (rc != 0)
		return rc;
	char *tmp = temp_next_to(file);
	if (!tmp)
		return fail(res, CAS_EIO, "impossible de créer un fichier à côté de %s : %s", file,
		            strerror(errno));
	rc = copy_checked(db_path, tmp, pace, res);
	if (rc == 0)
		rc = publish(tmp, file, force, res);
	if (rc != 0)
		remove_leftovers(tmp);
	free(tmp);
	return rc;
}

/* --- restore --- */

static int check_target(const char *db_path, int force, struct backup_result *res)
{
	struct sqlite_file_info info;
	int rc = sqlite_file_inspect(db_path, 0, &info);
	if (rc == CAS_ENOTFOUND)
		return 0;
	if (rc != 0)
		return fail(res, rc, "lecture de %s impossible", db_path);
	if (!info.is_database)
		return fail(res, CAS_ECONFLICT,
		            "%s existe et n'est pas une base SQLite : elle n'est pas remplacée",
		            db_path);
	if (info.nonempty_table[0] && !force)
		return fail(res, CAS_ECONFLICT,
		            "la base %s n'est pas vide (table %s) : --force pour la remplacer",
		            db_path, info.nonempty_table);
	return 0;
}

static int migrate_restored(const char *db_path, struct backup_result *res)
{
	struct buf url;
	buf_init(&url, 8192);
	buf_printf(&url, "sqlite:%s", db_path);
	struct db *db = NULL;
	int rc = url.err ? url.err : db_open(buf_cstr(&url), &db);
	buf_free(&url);
	if (rc != 0)
		return fail(res, rc, "la base restaurée ne s'ouvre pas");
	rc = migrate_up(db, &res->applied);
	res->version = migrate_version(db);
	db_close(db);
	if (rc != 0)
		return fail(res, rc, "la base est restaurée mais ses migrations ont échoué");
	struct stat sb;
	if (stat(db_path, &sb) == 0)
		res->size = (int64_t)sb.st_size;
	return 0;
}

int restore_from_file(const char *file, const char *db_path, int force, struct backup_result *res)
{
	memset(res, 0, sizeof(*res));
	if (same_file(file, db_path))
		return fail(res, CAS_EINVAL, "%s est la base elle-même", file);
	struct sqlite_file_info info;
	int rc = check_source(file, &info, 1, res);
	if (rc != 0)
		return rc;
	if (info.version > migrate_latest())
		return fail(
		    res, CAS_EINVAL,
		    "%s est au schéma version %d, plus récent que ce programme (version %d) : "
		    "restaurez-la avec une version plus récente de cassis",
		    file, info.version, migrate_latest());
	if ((rc = check_target(db_path, force, res)) != 0)
		return rc;
	static const struct sqlite_pace whole = {.pages = 1024, .pause_ms = 0};
	rc = sqlite_file_copy(file, db_path, &whole, 0);
	if (rc != 0)
		return fail(res, rc, "la restauration a échoué : %s", copy_error(rc));
	return migrate_restored(db_path, res);
}
