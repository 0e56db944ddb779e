/* PostgreSQL backend of db.h through libpq (see db_backend.h).
 *
 * A statement is prepared on the server on first use (PQprepare, named
 * "cas<N>", placeholders translated by sqltext.h) and run with
 * PQexecPrepared, parameters as text; its whole result is fetched, and
 * step walks the rows. A lost connection is re-established before the next
 * statement when no transaction was open (see live); the statements are
 * then prepared again. */
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db_backend.h"
#include "store/sqltext.h"

/* Type OIDs, fixed in the catalog (pg_type.dat). */
#define OID_BOOL    16
#define OID_BYTEA   17
#define OID_INT8    20
#define OID_INT2    21
#define OID_INT4    23
#define OID_OID     26
#define OID_NUMERIC 1700

struct pg_conn {
	PGconn *c;
	unsigned gen;        /* bumped on reconnection: statements prepare again */
	unsigned long names; /* statements named so far */
	int txn;             /* a transaction was open after the last round trip */
};

struct pg_param {
	const char *v; /* NULL: SQL NULL */
	char *heap;    /* owned copy of a text or of a blob's bytes */
	char num[24];  /* an integer's digits */
	int len;       /* a blob's size */
	int binary;    /* 1: a blob, sent in binary format */
};

struct pg_stmt {
	struct pg_conn *pc;
	char name[24];
	char *sql; /* with $1..$n */
	int nparams;
	struct pg_param *params;
	const char **vals;   /* PQexecPrepared's view of params */
	int *lens, *fmts;    /* likewise */
	unsigned char *blob; /* the last blob read, unescaped (PQfreemem) */
	unsigned gen;        /* connection generation it was prepared in */
	PGresult *res;       /* NULL until executed */
	int row, nrows;
};

static void notice(void *arg, const char *msg)
{
	log_msg(LOG_DEBUG, "sql notice: %s", msg);
}

/* Maps a failed result to a cas_err and logs it, without the DETAIL part
 * nor the values of a data exception: they may carry personal data. */
static int fail(const PGresult *res, PGconn *c, const char *what)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!state) { /* not from the server: the connection's own message */
		const char *m = res ? PQresultErrorMessage(res) : "";
		m = *m ? m : PQerrorMessage(c);
		log_msg(LOG_ERROR, "sql %s: %.*s", what, (int)strcspn(m, "\n"), m);
		return CAS_EDB;
	}
	if (!primary || strncmp(state, "22", 2) == 0)
		primary = "data exception";
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0) {
		log_msg(LOG_WARN, "sql conflict %s: %s", state, primary);
		return CAS_ECONFLICT;
	}
	log_msg(LOG_ERROR, "sql %s %s: %s", what, state, primary);
	return CAS_EDB;
}

static int is_word(const char *sql, const char *w)
{
	return strcmp(sql, w) == 0;
}

/* Something came from the server while the connection was idle. */
static int readable(PGconn *c)
{
	struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
	return p.fd >= 0 && poll(&p, 1, 0) > 0;
}

/* The connection for the next round trip of sql, or NULL when it is lost.
 * A connection lost outside a transaction is re-established (and the
 * statements prepared again). One lost inside a transaction is not, until
 * the caller has ended that transaction (its COMMIT fails, its ROLLBACK
 * succeeds): the statements after the loss must not run outside it. */
static PGconn *live(struct pg_conn *pc, const char *sql)
{
	/* Outside a transaction, a close by the server (restart, terminated
	 * backend, idle timeout) is noticed now rather than by the statement:
	 * a poll without waiting, and reads only when something came. */
	if (!pc->txn && PQstatus(pc->c) == CONNECTION_OK && readable(pc->c))
		for (int i = 0; i < 3 && PQstatus(pc->c) == CONNECTION_OK; i++)
			PQconsumeInput(pc->c); /* the goodbye message, then the end */
	if (PQstatus(pc->c) != CONNECTION_BAD)
		return pc->c;
	if (pc->txn) {
		if (is_word(sql, "COMMIT") || is_word(sql, "ROLLBACK"))
			pc->txn = 0;
		return NULL;
	}
	PQreset(pc->c);
	if (PQstatus(pc->c) != CONNECTION_OK)
		return NULL;
	pc->gen++;
	log_msg(LOG_WARN, "database connection re-established");
	return pc->c;
}

/* Records whether a transaction is open after a round trip. */
static void noted(struct pg_conn *pc)
{
	if (PQstatus(pc->c) != CONNECTION_OK)
		return;
	PGTransactionStatusType t = PQtransactionStatus(pc->c);
	pc->txn = t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* A statement that could not reach the server. */
static int lost(const char *sql)
{
	if (is_word(sql, "ROLLBACK"))
		return 0; /* the server has rolled back already */
	log_msg(LOG_ERROR, "sql: the database connection is lost");
	return CAS_EDB;
}

static int pg_exec(void *conn, const char *sql)
{
	PGconn *c = live(conn, sql);
	if (!c)
		return lost(sql);
	PGresult *res = PQexec(c, sql);
	noted(conn);
	ExecStatusType s = PQresultStatus(res);
	int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? 0 : fail(res, c, "exec");
	PQclear(res);
	return rc;
}

/* Refuses a database that cannot hold every text (not UTF8), makes
 * backslashes plain characters in literals (ESCAPE '\'), and has bytea
 * values printed in hex ("\x0aff"), as stmt_row_json promises. */
static int check_session(PGconn *c)
{
	const char *enc = PQparameterStatus(c, "server_encoding");
	if (!enc || strcmp(enc, "UTF8") != 0) {
		log_msg(LOG_ERROR, "database encoding is %s, UTF8 is required", enc ? enc : "?");
		return CAS_EDB;
	}
	const char *scs = PQparameterStatus(c, "standard_conforming_strings");
	if (!scs || strcmp(scs, "on") != 0) {
		PGresult *res = PQexec(c, "SET standard_conforming_strings = on");
		int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
		if (!ok)
			return CAS_EDB;
	}
	PGresult *res = PQexec(c, "SET bytea_output = 'hex'");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : CAS_EDB;
}

static int pg_open(const char *url, void **conn)
{
	/* The URL's own settings win over the first two, not over the last. */
	const char *const keys[] = {"application_name", "connect_timeout", "dbname",
	                            "client_encoding", NULL};
	const char *const vals[] = {"cassis", "10", url, "UTF8", NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		char *msg = xstrdup(PQerrorMessage(c));
		msg[strcspn(msg, "\n")] = '\0';
		log_msg(LOG_ERROR, "cannot open database: %s", msg);
		free(msg);
		PQfinish(c);
		return CAS_EDB;
	}
	PQsetNoticeProcessor(c, notice, NULL);
	if (check_session(c) != 0) {
		PQfinish(c);
		return CAS_EDB;
	}
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));
	pc->c = c;
	*conn = pc;
	return 0;
}

static void pg_close(void *conn)
{
	struct pg_conn *pc = conn;
	PQfinish(pc->c);
	free(pc);
}

static const char *pg_errmsg(void *conn)
{
	return PQerrorMessage(((struct pg_conn *)conn)->c);
}

static int pg_in_transaction(void *conn)
{
	return ((struct pg_conn *)conn)->txn;
}

/* Prepares st on the server unless done on this connection already. */
static int server_prepare(struct pg_stmt *st)
{
	PGconn *c = live(st->pc, st->sql);
	if (!c)
		return lost(st->sql);
	if (st->name[0] && st->gen == st->pc->gen)
		return 0;
	snprintf(st->name, sizeof(st->name), "cas%lu", ++st->pc->names);
	PGresult *res = PQprepare(c, st->name, st->sql, st->nparams, NULL);
	noted(st->pc);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : fail(res, c, "prepare");
	PQclear(res);
	if (rc != 0)
		st->name[0] = '\0';
	st->gen = st->pc->gen;
	return rc;
}

static void pg_finalize(void *conn, void *p, int closing)
{
	struct pg_stmt *st = p;
	struct pg_conn *pc = conn;
	/* In a failed transaction the server refuses even DEALLOCATE: the
	 * statement then stays until the connection closes. */
	if (!closing && st->name[0] && st->gen == pc->gen && PQstatus(pc->c) == CONNECTION_OK &&
	    PQtransactionStatus(pc->c) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		PQclear(PQexec(pc->c, sql));
	}
	PQclear(st->res);
	PQfreemem(st->blob);
	for (int i = 0; i < st->nparams; i++)
		free(st->params[i].heap);
	free(st->params);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->sql);
	free(st);
}

static int pg_prepare(void *conn, const char *sql, void **out)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->pc = conn;
	st->sql = sqltext_placeholders(sql, &st->nparams);
	st->params = xcalloc((size_t)st->nparams + 1, sizeof(*st->params));
	st->vals = xcalloc((size_t)st->nparams + 1, sizeof(*st->vals));
	st->lens = xcalloc((size_t)st->nparams + 1, sizeof(*st->lens));
	st->fmts = xcalloc((size_t)st->nparams + 1, sizeof(*st->fmts));
	int rc = server_prepare(st);
	if (rc != 0) {
		pg_finalize(conn, st, 1);
		return rc;
	}
	*out = st;
	return 0;
}

static void pg_reset(void *p)
{
	struct pg_stmt *st = p;
	PQclear(st->res);
	st->res = NULL;
	PQfreemem(st->blob);
	st->blob = NULL;
	st->row = st->nrows = 0;
	for (int i = 0; i < st->nparams; i++) {
		free(st->params[i].heap);
		st->params[i].heap = NULL;
		st->params[i].v = NULL;
		st->params[i].binary = 0;
	}
}

/* The parameter i (from 1), emptied; NULL when out of range. */
static struct pg_param *param(struct pg_stmt *st, int i)
{
	if (i < 1 || i > st->nparams) {
		log_msg(LOG_ERROR, "sql bind: no parameter %d", i);
		return NULL;
	}
	struct pg_param *p = &st->params[i - 1];
	free(p->heap);
	p->heap = NULL;
	p->v = NULL;
	p->binary = 0;
	return p;
}

static int pg_bind_text(void *st, int i, const char *s)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return CAS_EDB;
	if (s)
		p->v = p->heap = xstrdup(s);
	return 0;
}

static int pg_bind_int(void *st, int i, int64_t v)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return CAS_EDB;
	snprintf(p->num, sizeof(p->num), "%lld", (long long)v);
	p->v = p->num;
	return 0;
}

static int pg_bind_null(void *st, int i)
{
	return param(st, i) ? 0 : CAS_EDB;
}

/* A blob travels in binary format: its bytes as they are, no escaping. */
static int pg_bind_blob(void *st, int i, const void *b, size_t n)
{
	if (n > (size_t)INT32_MAX)
		return CAS_ETOOBIG;
	struct pg_param *p = param(st, i);
	if (!p)
		return CAS_EDB;
	p->heap = xmalloc(n ? n : 1);
	if (n)
		memcpy(p->heap, b, n);
	p->v = p->heap;
	p->len = (int)n;
	p->binary = 1;
	return 0;
}

static int execute(struct pg_stmt *st)
{
	int rc = server_prepare(st);
	if (rc != 0)
		return rc;
	for (int i = 0; i < st->nparams; i++) {
		st->vals[i] = st->params[i].v;
		st->lens[i] = st->params[i].binary ? st->params[i].len : 0;
		st->fmts[i] = st->params[i].binary;
	}
	st->res = PQexecPrepared(st->pc->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 0);
	noted(st->pc);
	ExecStatusType s = PQresultStatus(st->res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		st->nrows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
		st->row = -1;
		return 0;
	}
	rc = fail(st->res, st->pc->c, "step");
	PQclear(st->res);
	st->res = NULL;
	return rc;
}

static int pg_step(void *p)
{
	struct pg_stmt *st = p;
	if (!st->res) {
		int rc = execute(st);
		if (rc != 0)
			return rc;
	}
	PQfreemem(st->blob);
	st->blob = NULL;
	if (st->row < st->nrows)
		st->row++;
	return st->row < st->nrows ? 1 : 0;
}

static int pg_columns(void *p)
{
	struct pg_stmt *st = p;
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(void *p, int col)
{
	return PQfname(((struct pg_stmt *)p)->res, col);
}

/* The value at (current row, col); NULL for SQL NULL or no row. */
static const char *value(struct pg_stmt *st, int col)
{
	if (!st->res || st->row < 0 || st->row >= st->nrows || col < 0 ||
	    col >= PQnfields(st->res) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static const char *pg_text(void *p, int col)
{
	struct pg_stmt *st = p;
	const char *v = value(st, col);
	if (v && PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static int64_t pg_integer(void *p, int col)
{
	struct pg_stmt *st = p;
	const char *v = value(st, col);
	if (!v)
		return 0;
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static int pg_is_null(void *p, int col)
{
	return value(p, col) == NULL;
}

/* A bytea arrives as text ("\x0aff", or the old escape format): unescaped
 * once per step; any other type gives its text's bytes. */
static const void *pg_blob(void *p, int col, size_t *n)
{
	struct pg_stmt *st = p;
	const char *v = value(st, col);
	*n = 0;
	if (!v)
		return NULL;
	if (PQftype(st->res, col) != OID_BYTEA) {
		*n = strlen(v);
		return *n ? v : NULL;
	}
	PQfreemem(st->blob);
	st->blob = PQunescapeBytea((const unsigned char *)v, n);
	if (!st->blob)
		*n = 0;
	return *n ? st->blob : NULL;
}

/* A numeric's text without a fraction ("12", "12.00"), as an integer. */
static int numeric_integer(const char *v, int64_t *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end == '.')
		for (end++; *end == '0'; end++)
			;
	if (*end != '\0')
		return 0;
	*out = n;
	return 1;
}

static json_t *pg_value_json(void *p, int col)
{
	struct pg_stmt *st = p;
	const char *v = value(st, col);
	int64_t n;
	if (!v)
		return json_null();
	switch (PQftype(st->res, col)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID: return json_integer(strtoll(v, NULL, 10));
	case OID_BOOL: return json_integer(v[0] == 't');
	case OID_NUMERIC:
		if (numeric_integer(v, &n))
			return json_integer(n);
		return json_string(v);
	default: return json_string(v);
	}
}

const struct db_ops db_pg_ops = {
    .name = "postgresql",
    .begin_sql = "BEGIN",
    .read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .lock_sql = "SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .in_transaction = pg_in_transaction,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .columns = pg_columns,
    .column_name = pg_column_name,
    .text = pg_text,
    .int64 = pg_integer,
    .is_null = pg_is_null,
    .blob = pg_blob,
    .value_json = pg_value_json,
};
