/* A folder of fixture files in the format of the State's sandboxes:
 *
 *   description: free text (ignored)
 *   params:                  # the call parameters this case answers
 *     nomNaissance: 'MARTIN'
 *     prenoms:
 *       - 'AXELLE'
 *     anneeDateNaissance: 1989
 *   status: 200              # HTTP status of the answer
 *   payload: |-              # the response body, JSON text
 *     {"data": {...}}
 *
 * Every *.yaml and *.yml file of the folder is read at start and read again
 * as soon as the folder changes (a file added, removed, renamed or edited):
 * a new case works without a restart. A request matches a case when the
 * canonical key of its parameters equals the key of the case's params, both
 * computed by the same function (given by the API: its normalisation rule);
 * when nothing matches, the folder's 404.yaml answers. Thread-safe. */
#ifndef CAS_STANDIN_FIXTURES_H
#define CAS_STANDIN_FIXTURES_H
#include <stddef.h>

#include "standin/params.h"

/* The canonical key of a set of parameters (caller frees), or NULL when
 * they cannot be matched. */
typedef char *(*fixture_key_fn)(const struct sp_params *params);

struct fixture {
	char *key;     /* canonical key of its params (owned) */
	int status;    /* 100..599 */
	char *payload; /* the body, JSON text (owned) */
};

/* Parses the text of one fixture file into out. 0, or CAS_EINVAL with a
 * French reason in err (out then holds nothing to free). */
int fixture_parse(const char *text, size_t len, fixture_key_fn key, struct fixture *out, char *err,
                  size_t errsz);
void fixture_clear(struct fixture *f);

struct fixture_folder;

/* Reads the folder now (unreadable files are reported in the log and
 * skipped). Never NULL; close with fixture_folder_close. */
struct fixture_folder *fixture_folder_open(const char *dir, fixture_key_fn key);
void fixture_folder_close(struct fixture_folder *ff);
/* Number of usable cases, after reading the folder again if it changed. */
int fixture_folder_count(struct fixture_folder *ff);

struct fixture_hit {
	int status;
	char *payload;  /* caller frees */
	char file[256]; /* base name of the file that answered */
	int fallback;   /* 1: nothing matched, 404.yaml answered */
};

/* The case whose key equals key (the first in file name order), else the
 * folder's 404.yaml: 0 and *hit filled; CAS_ENOTFOUND when neither exists.
 * Reads the folder again first if it changed. */
int fixture_folder_find(struct fixture_folder *ff, const char *key, struct fixture_hit *hit);

#endif
