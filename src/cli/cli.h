/* Shared pieces of the command line: options, the database, the operator. */
#ifndef CAS_CLI_H
#define CAS_CLI_H
#include <getopt.h>
#include <stdio.h>

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
int cmd_particulier(int argc, char **argv);
int cmd_impots(int argc, char **argv);
int cmd_standin(int argc, char **argv);

#endif
