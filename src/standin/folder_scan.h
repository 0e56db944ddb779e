/* Reading a folder of fixture files again whenever its listing changes,
 * shared by the stand-ins' loaders: the listing (sorted names with given
 * endings, no hidden file), its signature (names, sizes, modification
 * times, inodes), the lock, and the reading of one file, with the unusable
 * ones reported in the log. */
#ifndef CAS_STANDIN_FOLDER_SCAN_H
#define CAS_STANDIN_FOLDER_SCAN_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Loads every file of names (n of them, sorted) into the folder object. */
typedef void (*fscan_load_all_fn)(void *folder, char **names, int n);

struct fscan {
	char *dir; /* owned */
	pthread_mutex_t lock;
	uint64_t signature;      /* of the listing last read; 0: never read */
	const char *const *exts; /* the endings read, NULL-terminated (static) */
	fscan_load_all_fn load_all;
	void *folder; /* given to load_all */
};

/* Sets s up for dir and reads the folder now (load_all(folder, ...)). */
void fscan_init(struct fscan *s, const char *dir, const char *const *exts,
                fscan_load_all_fn load_all, void *folder);
/* Frees what fscan_init took (not the folder's data). */
void fscan_destroy(struct fscan *s);
/* Takes the lock, then reads the folder again if its listing changed. */
void fscan_lock(struct fscan *s);
void fscan_unlock(struct fscan *s);

/* Parses the text of file name into arg: 0, or an error with a French
 * reason in err. */
typedef int (*fscan_parse_fn)(void *arg, const char *text, size_t len, const char *name, char *err,
                              size_t errsz);

/* Reads dir/name (at most max bytes) and parses it with parse(arg, ...);
 * a file that cannot be read or parsed is reported in the log ("fixture
 * ignored"). 0, or the error. */
int fscan_load(const char *dir, const char *name, size_t max, fscan_parse_fn parse, void *arg);

#endif
