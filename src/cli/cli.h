/* Shared pieces of the command line: options, the database, the operator. */
#ifndef CAS_CLI_H
#define CAS_CLI_H
#include <getopt.h>
#include <stdio.h>

#include <jansson.h>

#include "app/actor.h"

struct db;

#define EXIT_USAGE 2

/* The database URL: --db, else CASSIS_DB, else sqlite:var/cassis.db. */
extern const char *cli_db_url;

/* Prints a database URL with its password masked. */
void cli_print_url(FILE *out, const char *url);
/* Opens the database and applies pending migrations; prints why on failure. */
int cli_open_db(struct db **db);
/* The local operator, for the audit trail of command-line actions. */
void cli_operator(struct actor *who);
/* Reads the first line of a file (a password, a token); NULL on failure.
 * Caller frees. "-" reads standard input. */
char *cli_read_secret(const char *path);
/* Prints "cassis CMD: MESSAGE" and the usage hint; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *message);
/* Parses a whole number in [min, max]; -1 when invalid. */
long cli_parse_long(const char *s, long min, long max);
/* A number of seconds (0.001 to 3600) as milliseconds; -1 when invalid. */
long cli_parse_seconds_ms(const char *s);
/* The whole file (a token, a client secret), surrounding blanks removed;
 * NULL when unreadable, empty or over 64 KiB. "-" reads standard input.
 * Free with cli_wipe_free. */
char *cli_read_secret_file(const char *path);
/* Wipes the string, then frees it; NULL does nothing. */
void cli_wipe_free(char *s);
/* Prints j and a newline ("{}" when it cannot be encoded). */
void cli_print_json(FILE *out, const json_t *j, size_t flags);
/* Runs fn(arg) on n threads (at most 64) and waits for them all; when no
 * thread can be started, runs it once here. fn must finish the work of
 * those that did not start. */
void cli_run_threads(int n, void *(*fn)(void *), void *arg);
/* The options of a subcommand: getopt_long over argv (argv[0] is the
 * subcommand); help_opt prints help and makes cli_parse_options return -1;
 * every other option goes to set(opt, optarg, ctx), whose non-zero return
 * stops the parse and is returned; an unknown option, a missing value or
 * an operand left is a usage error of cmd (EXIT_USAGE). 0 otherwise. */
struct cli_options {
	const char *cmd;
	const char *help;
	const struct option *opts;
	int help_opt;
	int (*set)(int opt, char *arg, void *ctx);
};
int cli_parse_options(const struct cli_options *o, int argc, char **argv, void *ctx);

/* The id of the CCAS of SIRET siret into *id (none when siret is NULL).
 * 0, or an exit status after printing "cassis CMD : aucun CCAS..."
 * (EXIT_USAGE when there is no such CCAS, 1 when the database fails). */
int cli_tenant_of(struct db *db, const char *cmd, const char *siret, int64_t none, int64_t *id);

/* A command with one subcommand, sub: without one, or with --help or -h,
 * prints help (on stderr and EXIT_USAGE without one, else on stdout and
 * 0); another word is a usage error of cmd. -1 when argv[1] is sub, else
 * the exit status. */
int cli_one_subcommand(int argc, char **argv, const char *cmd, const char *sub, const char *help);

/* --repeat of a consultation: adds one to statuses[http_status] (a JSON
 * object status → count). */
void cli_count_status(json_t *statuses, int http_status);

/* A consultation's result: indented on stdout when ok, else compact on
 * stderr. */
void cli_print_outcome(const json_t *out, int ok);

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_tenant(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
/* cmd_aid.c: the aid catalogue (import, export, list), and simulate --aid:
 * the situation in the file input through the aid's version in force at
 * date (NULL: the situation's date, else today). Exit status. */
int cmd_aid(int argc, char **argv);
int cli_simulate_aid(const char *code, const char *siret, const char *input, const char *date);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate_data(int argc, char **argv);
/* cmd_proof.c: proofs of consultation, the signing key, provider settings */
int cmd_proof(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_tenant_set_provider(int argc, char **argv);
/* Loads (or creates, mode 0600) the signing key of the proofs for the
 * server: path, or the default next to the database. 0, or 1 after
 * printing why. */
int cli_signing_key_setup(const char *path);
/* demo_particulier.c: points the demo CCAS at the local stand-in of API
 * Particulier (url NULL: http://127.0.0.1:8081) unless it is connected
 * already, and sets the scopes of its aid types. 0, or 1 after printing
 * why. */
int demo_wire_particulier(struct db *db, const char *siret, int64_t tenant_id, const char *url);
/* cmd_verify.c: the key of the numéro fiscal hash, next to the signing
 * key signing_key (created, mode 0600, when missing): 0, or 1 after
 * printing why; the tenant's API Impôt particulier settings (settings
 * NULL: shows them): exit status; the demo CCAS wired to the local
 * stand-in of API Impôt particulier (url NULL: http://127.0.0.1:8082): 0,
 * or 1 after printing why. */
int cli_spi_key_setup(const char *signing_key);
int cli_impots_provider(struct db *db, const char *siret, json_t *settings);
int demo_wire_impots(struct db *db, const char *siret, int64_t tenant_id, const char *url);
/* cmd_keys_data.c: the data key ring (encryption at rest, base/seal.h).
 * cli_open_db calls cli_data_key_setup: the ring at cli_data_key (--data-key),
 * else CASSIS_DATA_KEY, else cassis-data.key next to the SQLite database,
 * else var/cassis-data.key (cli_data_key_path); created when missing and
 * the database uses no key yet; checked against the keys the database
 * needs. SOFT (every command): a problem is printed and the command goes
 * on without the ring; STRICT (cassis serve): 1 after printing why; NONE:
 * nothing is loaded (cassis keys chooses its ring). */
enum cli_data_key_mode { CLI_DATA_KEY_SOFT, CLI_DATA_KEY_STRICT, CLI_DATA_KEY_NONE };
extern const char *cli_data_key;
extern enum cli_data_key_mode cli_data_key_mode;
int cli_data_key_setup(struct db *db);
const char *cli_data_key_path(char *buf, size_t size);
/* cassis keys init-data | rotate | retire | status (cli_keys_data_sub: 1
 * for those names); cmd_keys_rotate.c runs the last three. */
int cli_keys_data_sub(const char *sub);
int cmd_keys_data(int argc, char **argv);
int cli_keys_rotate(struct db *db, const char *path, const char *old_path, int batch, int wait);
int cli_keys_retire(struct db *db, const char *path);
int cli_keys_status(struct db *db, const char *path);
int cmd_particulier(int argc, char **argv);
int cmd_impots(int argc, char **argv);
int cmd_standin(int argc, char **argv);
/* cmd_audit.c: cassis audit verify */
int cmd_audit(int argc, char **argv);
/* cmd_purge.c: cassis purge [--dry-run] */
int cmd_purge(int argc, char **argv);
/* cmd_person.c: cassis person export | erase (rights of the person) */
int cmd_person(int argc, char **argv);

#endif
