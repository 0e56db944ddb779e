#include "standin/folder_scan.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"

static int has_ending(const char *name, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	return n > e && strcmp(name + n - e, ext) == 0;
}

static int is_fixture_name(const char *name, const char *const *exts)
{
	size_t n = strlen(name);
	if (name[0] == '.' || n >= 256)
		return 0;
	for (int i = 0; exts[i]; i++)
		if (has_ending(name, n, exts[i]))
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture file names of dir, sorted (caller frees each and the array). */
static char **list_files(const char *dir, const char *const *exts, int *count)
{
	char **names = NULL;
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!is_fixture_name(e->d_name, exts))
			continue;
		names = xrealloc(names, (size_t)(n + 1) * sizeof(char *));
		names[n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(names, (size_t)n, sizeof(char *), by_name);
	*count = n;
	return names;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

/* A digest of the listing: names, sizes, modification times, inodes. */
static uint64_t signature(const char *dir, char **names, int n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char path[4096];
	for (int i = 0; i < n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		memset(&st, 0, sizeof(st));
		stat(path, &st);
		int64_t v[5] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec,
		                (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ino, (int64_t)n};
		h = fnv(h, names[i], strlen(names[i]) + 1);
		h = fnv(h, v, sizeof(v));
	}
	return h | 1; /* never 0 */
}

/* Reads the folder again when its listing changed. Lock held. */
static void refresh(struct fscan *s)
{
	int n;
	char **names = list_files(s->dir, s->exts, &n);
	uint64_t sig = signature(s->dir, names, n);
	if (sig != s->signature) {
		s->load_all(s->folder, names, n);
		s->signature = sig;
	}
	free_names(names, n);
}

void fscan_init(struct fscan *s, const char *dir, const char *const *exts,
                fscan_load_all_fn load_all, void *folder)
{
	s->dir = xstrdup(dir);
	s->signature = 0;
	s->exts = exts;
	s->load_all = load_all;
	s->folder = folder;
	pthread_mutex_init(&s->lock, NULL);
	fscan_lock(s);
	fscan_unlock(s);
}

void fscan_destroy(struct fscan *s)
{
	pthread_mutex_destroy(&s->lock);
	free(s->dir);
	s->dir = NULL;
}

void fscan_lock(struct fscan *s)
{
	pthread_mutex_lock(&s->lock);
	refresh(s);
}

void fscan_unlock(struct fscan *s)
{
	pthread_mutex_unlock(&s->lock);
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return CAS_EIO;
	char chunk[8192];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, got);
	int bad = ferror(f);
	fclose(f);
	return bad || b->err ? CAS_EIO : 0;
}

int fscan_load(const char *dir, const char *name, size_t max, fscan_parse_fn parse, void *arg)
{
	char path[4096], err[512] = "";
	struct buf b;
	buf_init(&b, max);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc = read_file(path, &b);
	if (rc != 0)
		snprintf(err, sizeof(err), "fichier illisible ou trop gros");
	else
		rc = parse(arg, buf_cstr(&b), b.len, name, err, sizeof(err));
	buf_free(&b);
	if (rc != 0)
		log_event(LOG_WARN, "fixture ignored",
		          json_pack("{s:s, s:s, s:s}", "dir", dir, "file", name, "reason", err));
	return rc;
}
