#include "app/access_log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/perm.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "domain/pdate.h"
#include "store/access_store.h"
#include "store/db.h"
#include "store/person_store.h"

#define SCOPE_MAX   32    /* objects read by one request (more are dropped) */
#define QUEUE_WRITE 4096  /* a request thread writes the queue itself from there */
#define QUEUE_MAX   65536 /* beyond: entries dropped (and reported) */
#define PURGE_BATCH 1000

/* One entry, owning its text. */
struct entry {
	int64_t tenant_id, at, actor_id, api_key_id, object_id, person_id;
	char actor_label[128];
	char object_type[16];
	char route[112];
};

/* The reads of the request this thread is serving. */
static _Thread_local struct {
	int open;
	char route[112];
	int n;
	struct entry e[SCOPE_MAX];
} scope;

/* The entries of every thread's finished requests, waiting for
 * access_log_flush; whether a thread is writing them. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when writing drops to 0 */
	struct entry *items;
	size_t n, cap;
	int writing;
	int dropped; /* entries lost since the last report */
} queue = {.lock = PTHREAD_MUTEX_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static void fill(struct entry *e, const struct actor *who, const char *type, int64_t id,
                 int64_t person_id, const char *route)
{
	memset(e, 0, sizeof(*e));
	e->tenant_id = who->tenant_id;
	e->at = clock_now();
	e->actor_id = who->user_id;
	e->api_key_id = who->api_key_id;
	e->object_id = id;
	e->person_id = person_id;
	snprintf(e->actor_label, sizeof(e->actor_label), "%s", who->label);
	snprintf(e->object_type, sizeof(e->object_type), "%s", type);
	snprintf(e->route, sizeof(e->route), "%s", route ? route : "");
}

static void row_of(struct db *db, struct entry *e, struct access_row *r)
{
	if (!e->person_id && strcmp(e->object_type, "document") == 0)
		e->person_id = access_store_document_person(db, e->tenant_id, e->object_id);
	*r = (struct access_row){
	    .tenant_id = e->tenant_id,
	    .at = e->at,
	    .actor_id = e->actor_id,
	    .api_key_id = e->api_key_id,
	    .actor_label = e->actor_label,
	    .object_type = e->object_type,
	    .object_id = e->object_id,
	    .person_id = e->person_id,
	    .route = e->route,
	};
}

/* Writes n entries in one transaction (the caller's when one is open). */
static void write_batch(struct db *db, struct entry *e, size_t n)
{
	struct access_row *rows = xcalloc(n, sizeof(*rows));
	int own = !db_in_transaction(db);
	int rc = own ? db_begin(db) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		row_of(db, &e[i], &rows[i]);
	if (rc == 0)
		rc = access_store_insert_many(db, rows, n);
	if (own && rc == 0)
		rc = db_commit(db);
	else if (own)
		db_rollback(db);
	free(rows);
	if (rc != 0)
		log_event(
		    LOG_ERROR, "access log not written",
		    json_pack("{s:I, s:s}", "entries", (json_int_t)n, "error", cas_err_name(rc)));
}

void access_log_read_about(struct db *db, const struct actor *who, const char *object_type,
                           int64_t object_id, int64_t person_id)
{
	if (!who->tenant_id || !object_id)
		return;
	if (!scope.open) {
		struct entry e;
		fill(&e, who, object_type, object_id, person_id, "");
		write_batch(db, &e, 1);
		return;
	}
	for (int i = 0; i < scope.n; i++)
		if (scope.e[i].object_id == object_id &&
		    strcmp(scope.e[i].object_type, object_type) == 0)
			return; /* once a request */
	if (scope.n < SCOPE_MAX)
		fill(&scope.e[scope.n++], who, object_type, object_id, person_id, scope.route);
}

void access_log_read(struct db *db, const struct actor *who, const char *object_type,
                     int64_t object_id)
{
	access_log_read_about(db, who, object_type, object_id,
	                      strcmp(object_type, "person") == 0 ? object_id : 0);
}

void access_log_begin(const char *method, const char *route)
{
	scope.open = 1;
	scope.n = 0;
	snprintf(scope.route, sizeof(scope.route), "%s %s", method, route);
}

/* Adds the scope's entries to the queue; under the queue's lock. */
static void enqueue_scope(void)
{
	if (queue.n + (size_t)scope.n > QUEUE_MAX) {
		queue.dropped += scope.n;
		return;
	}
	if (queue.n + (size_t)scope.n > queue.cap) {
		queue.cap = queue.cap ? queue.cap * 2 : 64;
		while (queue.cap < queue.n + (size_t)scope.n)
			queue.cap *= 2;
		queue.items = xrealloc(queue.items, queue.cap * sizeof(*queue.items));
	}
	memcpy(queue.items + queue.n, scope.e, (size_t)scope.n * sizeof(*scope.e));
	queue.n += (size_t)scope.n;
}

/* Writes the queue until it is empty; the caller holds the lock and the
 * writer's role, and still holds the lock on return. */
static void drain(struct db *db)
{
	while (queue.n) {
		struct entry *batch = queue.items;
		size_t n = queue.n;
		int dropped = queue.dropped;
		queue.items = NULL;
		queue.n = queue.cap = 0;
		queue.dropped = 0;
		pthread_mutex_unlock(&queue.lock);
		if (dropped)
			log_event(LOG_ERROR, "access log entries dropped (queue full)",
			          json_pack("{s:i}", "entries", dropped));
		write_batch(db, batch, n);
		free(batch);
		pthread_mutex_lock(&queue.lock);
	}
}

/* Takes the writer's role, drains, gives it back; under the lock. */
static void write_queue(struct db *db)
{
	queue.writing = 1;
	drain(db);
	queue.writing = 0;
	pthread_cond_broadcast(&queue.idle);
}

void access_log_end(struct db *db)
{
	if (!scope.open)
		return;
	scope.open = 0;
	if (!scope.n || !db) {
		scope.n = 0;
		return;
	}
	pthread_mutex_lock(&queue.lock);
	enqueue_scope();
	scope.n = 0;
	if (queue.n >= QUEUE_WRITE && !queue.writing) /* the flusher lags behind */
		write_queue(db);
	pthread_mutex_unlock(&queue.lock);
}

void access_log_flush(struct db *db)
{
	pthread_mutex_lock(&queue.lock);
	while (queue.writing) /* what it writes is written when it is done */
		pthread_cond_wait(&queue.idle, &queue.lock);
	if (queue.n && db)
		write_queue(db);
	pthread_mutex_unlock(&queue.lock);
}

/* --- search --- */

/* Midnight in Paris starting the date y-m-d, in unix seconds. */
static int64_t paris_midnight(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t utc = (era * 146097 + doe - 719468) * 86400;
	return utc - paris_offset(utc - 7200); /* the offset of the evening before */
}

/* A full date of the range into *t (0 when blank): its midnight, or the
 * next day's for the end of the range. */
static int range_bound(const char *s, int end, int64_t *t, json_t *errors, const char *field)
{
	struct pdate d;
	*t = 0;
	if (!s || !*s)
		return 0;
	if (pdate_parse(s, &d, NULL) != 0 || !d.month || !d.day) {
		json_object_set_new(
		    errors, field,
		    json_string("Date invalide : saisissez une date complète au format "
		                "JJ/MM/AAAA."));
		return CAS_EINVAL;
	}
	*t = paris_midnight(d.year, d.month, d.day) + (end ? 86400 : 0);
	return 0;
}

static int read_range(const struct access_query *q, struct access_filter *f, json_t **errors)
{
	json_t *errs = json_object();
	range_bound(q->du, 0, &f->from, errs, "du");
	range_bound(q->au, 1, &f->until, errs, "au");
	if (!json_object_size(errs) && f->from && f->until && f->until <= f->from)
		json_object_set_new(errs, "au",
		                    json_string("La fin de la période précède son début."));
	if (!json_object_size(errs)) {
		json_decref(errs);
		return 0;
	}
	*errors = errs;
	return CAS_EINVAL;
}

static json_t *person_label(json_t *row)
{
	const char *usage = json_string_value(json_object_get(row, "nom_usage"));
	const char *nom = json_string_value(json_object_get(row, "nom_naissance"));
	const char *prenom = json_string_value(json_object_get(row, "prenom1"));
	if (!nom)
		return json_null();
	return json_sprintf("%s %s", usage && *usage ? usage : nom, prenom ? prenom : "");
}

static void shape(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_object_set_new(row, "person", person_label(row));
		json_object_del(row, "nom_naissance");
		json_object_del(row, "nom_usage");
		json_object_del(row, "prenom1");
	}
}

static int may_read(const struct actor *who, int *err)
{
	if (perm_allows(who->role, PERM_AUDIT_READ) && who->tenant_id)
		return 1;
	*err = CAS_EPERM;
	return 0;
}

json_t *access_log_search(struct db *db, const struct actor *who, const struct access_query *q,
                          int64_t *total, int *err, json_t **errors)
{
	if (!may_read(who, err))
		return NULL;
	struct access_filter f = {
	    .person_id = q->person_id,
	    .actor_id = q->actor_id,
	    .asc = q->asc,
	    .offset = q->offset > 0 ? q->offset : 0,
	    .limit = q->limit < 1 ? 1 : (q->limit > 200 ? 200 : q->limit),
	};
	*err = read_range(q, &f, errors);
	if (*err)
		return NULL;
	access_log_flush(db); /* the reads still waiting, this one's included */
	json_t *rows = access_store_search(db, who->tenant_id, &f, total);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	shape(rows);
	return rows;
}

json_t *access_log_agents(struct db *db, const struct actor *who, int *err)
{
	if (!may_read(who, err))
		return NULL;
	json_t *rows = access_store_agents(db, who->tenant_id);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

char *access_log_person_name(struct db *db, const struct actor *who, int64_t person_id)
{
	int err = 0;
	if (!may_read(who, &err))
		return NULL;
	json_t *p = person_store_get(db, who->tenant_id, person_id, &err);
	if (!p)
		return NULL;
	json_t *label = person_label(p);
	char *out = json_is_string(label) ? xstrdup(json_string_value(label)) : NULL;
	json_decref(label);
	json_decref(p);
	return out;
}

/* --- retention --- */

int64_t access_log_cutoff(int64_t now, int months)
{
	int y, m, d;
	paris_ymd(now, &y, &m, &d);
	int total = y * 12 + (m - 1) - months;
	y = total / 12;
	m = total % 12 + 1;
	int last = ymd_days_in_month(y, m);
	return paris_midnight(y, m, d > last ? last : d);
}

static int purge_tenant(struct db *db, int64_t tenant_id, int64_t before, int64_t *deleted)
{
	int64_t n;
	do {
		n = 0;
		int rc = access_store_purge_batch(db, tenant_id, before, PURGE_BATCH, &n);
		if (rc != 0)
			return rc;
		*deleted += n;
	} while (n == PURGE_BATCH);
	return 0;
}

int access_log_purge(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	*result = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	json_t *tenants = access_store_retentions(db);
	if (!tenants)
		return CAS_EDB;
	int64_t deleted = 0;
	int rc = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tenants, i, t)
	{
		int64_t months = json_integer_value(json_object_get(t, "months"));
		if (months < 6 || months > 12)
			months = ACCESS_LOG_MONTHS_DEFAULT;
		rc = purge_tenant(db, json_integer_value(json_object_get(t, "id")),
		                  access_log_cutoff(now, (int)months), &deleted);
		if (rc != 0)
			break;
	}
	json_decref(tenants);
	if (rc == 0)
		*result = json_pack("{s:I}", "deleted", (json_int_t)deleted);
	return rc;
}
