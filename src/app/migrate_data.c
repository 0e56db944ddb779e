#include "app/migrate_data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/db_bulk.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/sqlite_file.h"
#include "store/table_copy.h"

/* Everything one run holds, released by finish(). */
struct run {
	struct db *src, *dst;
	struct table_set set;
	int *order; /* indexes into set.t, parents first */
	struct md_report *rep;
	const struct md_progress *progress;
};

static int fail(struct md_report *rep, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct md_report *rep, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->why, sizeof(rep->why), fmt, ap);
	va_end(ap);
	return rc;
}

static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

/* The source: a readable Cassis database at this program's version. */
static int check_source(const char *url, struct md_report *rep)
{
	const char *path = sqlite_path(url);
	struct sqlite_file_info info;
	int rc = sqlite_file_inspect(path, 1, &info);
	if (rc == CAS_ENOTFOUND)
		return fail(rep, rc, "la base source %s n'existe pas", path);
	if (rc != 0 || !info.is_database)
		return fail(rep, rc ? rc : CAS_EINVAL, "%s n'est pas une base SQLite lisible",
		            path);
	if (!info.integrity_ok)
		return fail(rep, CAS_EINVAL, "%s ne passe pas le contrôle d'intégrité", path);
	if (!info.has_migrations)
		return fail(rep, CAS_EINVAL, "%s n'est pas une base Cassis", path);
	if (info.version != migrate_latest())
		return fail(
		    rep, CAS_EINVAL,
		    "la base source est au schéma version %d, ce programme à la version %d : "
		    "%s",
		    info.version, migrate_latest(),
		    info.version < migrate_latest()
		        ? "appliquez d'abord « cassis migrate » sur la source"
		        : "utilisez une version plus récente de cassis");
	return 0;
}

static int find_table(const struct table_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0)
			return i;
	return -1;
}

static int parents_placed(const struct table_set *set, int i, const int *placed)
{
	for (int p = 0; p < set->t[i].nparents; p++) {
		int j = find_table(set, set->t[i].parents[p]);
		if (j >= 0 && !placed[j])
			return 0;
	}
	return 1;
}

/* Parents first (Kahn's algorithm, ties in name order); a cycle of foreign
 * keys between tables has no such order. */
static int fk_order(struct run *run)
{
	const struct table_set *set = &run->set;
	int *placed = xcalloc((size_t)set->n + 1, sizeof(int)), k = 0, rc = 0;
	run->order = xcalloc((size_t)set->n + 1, sizeof(int));
	while (k < set->n && rc == 0) {
		int before = k;
		for (int i = 0; i < set->n; i++)
			if (!placed[i] && parents_placed(set, i, placed)) {
				placed[i] = 1;
				run->order[k++] = i;
			}
		if (k == before)
			rc = fail(run->rep, CAS_EINVAL,
			          "les clés étrangères forment un cycle : aucun ordre de copie");
	}
	free(placed);
	return rc;
}

static int open_both(struct run *run, const char *from_url, const char *to_url)
{
	if (db_open(from_url, &run->src) != 0)
		return fail(run->rep, CAS_EDB, "impossible d'ouvrir la base source");
	if (db_open(to_url, &run->dst) != 0)
		return fail(run->rep, CAS_EDB, "impossible d'ouvrir la base cible");
	if (migrate_up(run->dst, NULL) != 0)
		return fail(run->rep, CAS_EDB, "la migration de la base cible a échoué");
	return 0;
}

/* Every table of the target exists and is empty; otherwise say which. */
static int check_empty(struct run *run)
{
	struct buf full;
	buf_init(&full, 4096);
	int rc = 0;
	for (int k = 0; k < run->set.n && rc == 0; k++) {
		const struct table_def *t = &run->set.t[run->order[k]];
		int64_t n = 0;
		if (strcmp(t->name, "data_keys") == 0)
			continue; /* replaced below: see write_target */
		if (table_count(run->dst, t, &n) != 0)
			rc = fail(run->rep, CAS_EDB, "la table %s manque dans la base cible",
			          t->name);
		else if (n > 0)
			buf_printf(&full, "%s%s (%lld ligne(s))", full.len ? ", " : "", t->name,
			           (long long)n);
	}
	if (rc == 0 && full.len > 0)
		rc =
		    fail(run->rep, CAS_ECONFLICT,
		         "la base cible n'est pas vide : %s ; rien n'a été copié", buf_cstr(&full));
	buf_free(&full);
	return rc;
}

static int copy_all(struct run *run)
{
	for (int k = 0; k < run->set.n; k++) {
		const struct table_def *t = &run->set.t[run->order[k]];
		int64_t copied = 0;
		int rc = table_copy(run->src, run->dst, t, &copied);
		if (rc == 0)
			rc = db_after_bulk_insert(run->dst, t->name);
		if (rc != 0)
			return fail(run->rep, rc,
			            "la copie de la table %s a échoué (%s) ; rien n'a été "
			            "copié",
			            t->name, cas_err_name(rc));
		if (run->progress && run->progress->copied)
			run->progress->copied(t->name, copied, run->progress->arg);
	}
	return 0;
}

static int write_target(struct run *run)
{
	if (db_begin(run->dst) != 0)
		return fail(run->rep, CAS_EDB, "la base cible refuse d'ouvrir une transaction");
	int rc = check_empty(run);
	/* The copied values are sealed under the source's keys: its registry of
	 * keys replaces the one opening the target wrote. */
	if (rc == 0 && q_exec(run->dst, "DELETE FROM data_keys", "") != 0)
		rc = fail(run->rep, CAS_EDB, "la table data_keys de la base cible est illisible");
	if (rc == 0)
		rc = copy_all(run);
	if (rc == 0 && db_commit(run->dst) != 0)
		rc = fail(run->rep, CAS_EDB,
		          "la validation de la copie a échoué ; rien n'a été copié");
	if (rc != 0)
		db_rollback(run->dst);
	return rc;
}

static int verify(struct run *run)
{
	struct md_report *rep = run->rep;
	rep->tables = xcalloc((size_t)run->set.n + 1, sizeof(*rep->tables));
	int bad = 0;
	db_read_begin(run->dst);
	for (int k = 0; k < run->set.n; k++) {
		const struct table_def *t = &run->set.t[run->order[k]];
		struct md_table *m = &rep->tables[rep->n++];
		snprintf(m->name, sizeof(m->name), "%s", t->name);
		if (table_checksum(run->src, t, &m->src_rows, m->src_sum) != 0 ||
		    table_checksum(run->dst, t, &m->dst_rows, m->dst_sum) != 0)
			return fail(rep, CAS_EDB, "lecture de la table %s impossible", t->name);
		m->ok = m->src_rows == m->dst_rows && strcmp(m->src_sum, m->dst_sum) == 0;
		bad += !m->ok;
	}
	db_read_end(run->dst);
	if (bad)
		return fail(rep, CAS_ECONFLICT,
		            "%d table(s) diffèrent entre la source et la cible : voir le tableau",
		            bad);
	return 0;
}

static void finish(struct run *run)
{
	if (run->src)
		db_read_end(run->src);
	db_close(run->src);
	db_close(run->dst);
	table_set_free(&run->set);
	free(run->order);
}

int migrate_data_run(const char *from_url, const char *to_url, const struct md_progress *progress,
                     struct md_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (db_url_kind(from_url) != DB_SQLITE)
		return fail(rep, CAS_EINVAL, "la source doit être une base SQLite (sqlite:CHEMIN)");
	struct run run = {.rep = rep, .progress = progress};
	int rc = check_source(from_url, rep);
	if (rc == 0)
		rc = open_both(&run, from_url, to_url);
	/* one snapshot of the source for the copy and its verification */
	if (rc == 0 && db_read_begin(run.src) != 0)
		rc = fail(rep, CAS_EDB, "lecture de la base source impossible");
	if (rc == 0 && table_set_read(run.src, &run.set) != 0)
		rc = fail(rep, CAS_EDB, "le schéma de la base source est illisible");
	if (rc == 0)
		rc = fk_order(&run);
	if (rc == 0)
		rc = write_target(&run);
	if (rc == 0)
		rc = verify(&run);
	finish(&run);
	return rc;
}

void md_report_free(struct md_report *rep)
{
	free(rep->tables);
	rep->tables = NULL;
	rep->n = 0;
}
