/* The database of the store suite (meson test --suite store): the URL in
 * the environment variable CASSIS_TEST_DB, in-memory SQLite when unset.
 *
 * On PostgreSQL, CASSIS_TEST_DB names any database of the server (its
 * "postgres" maintenance database will do): the test program creates its
 * own database cassis_test_<pid> next to it on the first open and drops it
 * when it exits, so programs run side by side. Likewise a SQLite file
 * sqlite:PATH becomes PATH.<pid>, removed before each open and at exit.
 * Either way each open starts from an empty database: run migrate_up
 * next. */
#ifndef CAS_TESTDB_H
#define CAS_TESTDB_H

struct db;

/* Asserts on failure. Close with testdb_close. The first open also installs
 * a fresh data key (base/seal.h) for the sealed columns. */
void testdb_open(struct db **out);
void testdb_close(struct db *db);

/* The URL testdb_open connects to (a static string). */
const char *testdb_url(void);

#endif
