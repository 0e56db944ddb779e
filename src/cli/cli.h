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
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate_data(int argc, char **argv);

#endif
