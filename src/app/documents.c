#include "app/documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/letters.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/dossier.h"
#include "domain/filetype.h"
#include "store/aid_type_store.h"
#include "store/db.h"
#include "store/document_store.h"
#include "store/dossier_store.h"

#define PIECES_MAX  30   /* labels in one request */
#define MESSAGE_MAX 2000 /* characters of a request's precisions */
#define AUTRE       "autre"

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static enum dossier_state state_of(const json_t *d)
{
	enum dossier_state s = DS_BROUILLON;
	dossier_state_from_code(json_string_value(json_object_get(d, "state")), &s);
	return s;
}

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The labels of the checklist of aid type aid_type_id (new array), NULL on
 * a database error. */
static json_t *checklist_of(struct db *db, int64_t tenant_id, int64_t aid_type_id)
{
	int err;
	json_t *t = aid_type_store_detail(db, tenant_id, aid_type_id, &err);
	if (!t)
		return err == CAS_ENOTFOUND ? json_array() : NULL;
	json_t *list = json_loads(input_str(t, "pieces"), 0, NULL);
	json_decref(t);
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		if (json_is_string(x) && *json_string_value(x))
			json_array_append(out, x);
	}
	json_decref(list);
	return out;
}

static int in_list(json_t *list, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		if (strcmp(json_string_value(x), s) == 0)
			return 1;
	}
	return 0;
}

/* A size for people: "820 octets", "12 Ko", "1,4 Mo". */
static void size_fr(int64_t n, char *out, size_t outsz)
{
	if (n < 1024)
		snprintf(out, outsz, "%lld octets", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, outsz, "%lld Ko", (long long)((n + 1023) / 1024));
	else
		snprintf(out, outsz, "%lld,%lld Mo", (long long)(n / (1024 * 1024)),
		         (long long)(n % (1024 * 1024) * 10 / (1024 * 1024)));
}

/* "Justificatif de domicile (PDF, 12 Ko)" */
static void describe(const char *piece, const char *mime, int64_t size, char *out, size_t outsz)
{
	char sz[32];
	size_fr(size, sz, sizeof(sz));
	snprintf(out, outsz, "%s (%s, %s)", piece, filetype_label(filetype_from_mime(mime)), sz);
}

/* --- upload --- */

struct upload {
	const char *piece;
	int hors_liste;
	enum filetype type;
	char name[512];
	char sha[65];
};

static int check_file(const struct document_file *f, size_t max, struct upload *u, json_t *errs)
{
	char msg[256];
	if (f->too_big) {
		input_error(
		    errs, "fichier",
		    filetype_message(FILETYPE_TOO_BIG, FILETYPE_NONE, max, msg, sizeof(msg)));
		return CAS_ETOOBIG;
	}
	if (!f->len && !(f->name && *f->name)) {
		input_error(errs, "fichier", "Choisissez le fichier de la pièce.");
		return 0;
	}
	enum filetype_error e = filetype_check(f->data, f->len, max, &u->type);
	if (e != FILETYPE_OK) {
		input_error(errs, "fichier", filetype_message(e, u->type, max, msg, sizeof(msg)));
		return e == FILETYPE_TOO_BIG ? CAS_ETOOBIG : 0;
	}
	filetype_safe_name(f->name, u->type, u->name, sizeof(u->name));
	sha256_hex(f->data, f->len, u->sha);
	return 0;
}

/* The piece chosen: a label of the checklist, or "autre" and a label. */
static void check_piece(json_t *in, json_t *checklist, struct upload *u, json_t *errs)
{
	const char *piece = input_str(in, "piece"), *autre = input_str(in, "autre");
	u->piece = piece;
	u->hors_liste = 0;
	if (*piece && in_list(checklist, piece))
		return;
	if (strcmp(piece, AUTRE) != 0) {
		input_error(errs, "piece", "Choisissez la pièce dans la liste.");
		return;
	}
	u->piece = autre;
	u->hors_liste = 1;
	if (!*autre || utf8_strlen(autre) > DOCUMENT_LABEL_MAX || !utf8_valid(autre, strlen(autre)))
		input_error(errs, "autre",
		            "Précisez de quelle pièce il s'agit (200 caractères au plus).");
}

static int write_upload(struct db *db, const struct actor *who, const json_t *d,
                        const struct document_file *f, const struct upload *u, int64_t *id)
{
	int64_t now = clock_now(), dossier_id = int_of(d, "id");
	struct document_row row = {
	    dossier_id, u->piece, u->hors_liste, u->name,      filetype_mime(u->type),
	    u->sha,     f->data,  f->len,        who->user_id, who->label};
	char what[512], detail[600];
	describe(u->piece, filetype_mime(u->type), (int64_t)f->len, what, sizeof(what));
	snprintf(detail, sizeof(detail), "Pièce reçue : %s.", what);
	int rc = document_store_insert(db, who->tenant_id, &row, now, id);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, dossier_id, who->user_id,
		                                who->label, "piece", detail, now);
	if (rc == 0)
		rc = dossier_store_touch(db, who->tenant_id, dossier_id, now);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "document", *id,
		                 json_pack("{s:[nI], s:[ns], s:[ns], s:[ns], s:[nI], s:[ns]}",
		                           "dossier_id", (json_int_t)dossier_id, "piece", u->piece,
		                           "nom_fichier", u->name, "type_mime",
		                           filetype_mime(u->type), "taille", (json_int_t)f->len,
		                           "sha256", u->sha));
	return rc;
}

/* Inside the transaction: the dossier, its checklist, the piece. */
static int check_dossier_piece(struct db *db, const struct actor *who, int64_t dossier_id,
                               json_t *in, struct upload *u, json_t *errs, json_t **d)
{
	int rc;
	*d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
	if (!*d)
		return rc;
	if (state_of(*d) == DS_CLOTURE)
		return CAS_ECONFLICT;
	json_t *checklist = checklist_of(db, who->tenant_id, int_of(*d, "aid_type_id"));
	if (!checklist)
		return CAS_EDB;
	check_piece(in, checklist, u, errs);
	json_decref(checklist);
	return 0;
}

/* The file's errors after the others (the form's order). */
static void merge(json_t *errs, json_t *more)
{
	const char *k;
	json_t *v;
	json_object_foreach(more, k, v) input_error(errs, k, json_string_value(v));
}

int document_upload(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                    const struct document_file *file, size_t max, int64_t *id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOCUMENT_UPLOAD) || !who->tenant_id)
		return CAS_EPERM;
	struct upload u = {0};
	json_t *errs = json_object(), *file_errs = json_object(), *d = NULL;
	int file_rc = check_file(file, max, &u, file_errs); /* before the write lock */
	int rc = db_begin(db);
	if (rc == 0)
		rc = check_dossier_piece(db, who, dossier_id, in, &u, errs, &d);
	merge(errs, file_errs);
	if (rc == 0 && json_object_size(errs))
		rc = file_rc ? file_rc : CAS_EINVAL;
	if (rc == 0)
		rc = write_upload(db, who, d, file, &u, id);
	if (rc == CAS_EINVAL || rc == CAS_ETOOBIG) {
		*errors = errs;
		errs = NULL;
	}
	json_decref(errs);
	json_decref(file_errs);
	json_decref(d);
	return finish(db, rc);
}

/* --- reading --- */

/* The labels named by each request, newest first: checklist items get
 * their last request's date. */
static json_t *shape_requests(json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_t *p = json_loads(input_str(r, "pieces"), 0, NULL);
		json_object_set_new(r, "pieces", json_is_array(p) ? p : json_array());
		if (!json_is_array(p))
			json_decref(p);
	}
	return rows;
}

static json_t *requested_on(json_t *requests, const char *piece)
{
	size_t i;
	json_t *r;
	json_array_foreach(requests, i, r)
	{
		if (in_list(json_object_get(r, "pieces"), piece))
			return json_object_get(r, "created_at");
	}
	return NULL;
}

static json_t *build_checklist(json_t *labels, json_t *docs, json_t *requests, json_t *missing)
{
	json_t *out = json_array();
	size_t i, j;
	json_t *l, *doc;
	json_array_foreach(labels, i, l)
	{
		json_t *ids = json_array();
		json_array_foreach(docs, j, doc)
		{
			if (!int_of(doc, "hors_liste") &&
			    strcmp(input_str(doc, "piece"), json_string_value(l)) == 0)
				json_array_append(ids, json_object_get(doc, "id"));
		}
		json_t *asked = requested_on(requests, json_string_value(l));
		int got = json_array_size(ids) > 0;
		if (!got)
			json_array_append(missing, l);
		json_array_append_new(out, json_pack("{s:O, s:b, s:o, s:O}", "piece", l, "recue",
		                                     got, "documents", ids, "demandee_le",
		                                     asked ? asked : json_null()));
	}
	return out;
}

static void shape_documents(json_t *docs, int can_download)
{
	size_t i;
	json_t *doc;
	json_array_foreach(docs, i, doc)
	{
		enum filetype t = filetype_from_mime(input_str(doc, "type_mime"));
		json_object_set_new(doc, "type_label", json_string(filetype_label(t)));
		if (!can_download) {
			json_object_del(doc, "nom_fichier");
			json_object_del(doc, "sha256");
		}
	}
}

static void add_abilities(json_t *out, const struct actor *who, enum dossier_state s)
{
	int open = s != DS_CLOTURE, undecided = s < DS_DECIDE;
	json_object_set_new(out, "can_upload",
	                    json_boolean(open && perm_allows(who->role, PERM_DOCUMENT_UPLOAD)));
	json_object_set_new(out, "can_download",
	                    json_boolean(perm_allows(who->role, PERM_DOCUMENT_READ)));
	json_object_set_new(
	    out, "can_delete",
	    json_boolean(undecided && perm_allows(who->role, PERM_DOSSIER_INSTRUCT)));
	json_object_set_new(out, "can_request",
	                    json_boolean((s == DS_EN_INSTRUCTION || s == DS_EN_ATTENTE_PIECES) &&
	                                 perm_allows(who->role, PERM_DOSSIER_REQUEST_DOCS)));
}

static json_t *assemble(const struct actor *who, json_t *d, json_t *labels, json_t *docs,
                        json_t *requests)
{
	json_t *missing = json_array();
	json_t *checklist = build_checklist(labels, docs, requests, missing);
	shape_documents(docs, perm_allows(who->role, PERM_DOCUMENT_READ));
	json_t *out =
	    json_pack("{s:I, s:O, s:O, s:O, s:o, s:O, s:O, s:o, s:b}", "dossier_id",
	              (json_int_t)int_of(d, "id"), "numero", json_object_get(d, "numero"), "state",
	              json_object_get(d, "state"), "aide", json_object_get(d, "aide"), "checklist",
	              checklist, "documents", docs, "requests", requests, "manquantes", missing,
	              "complete", json_array_size(labels) > 0 && json_array_size(missing) == 0);
	add_abilities(out, who, state_of(d));
	return out;
}

json_t *document_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	if (!perm_allows(who->role, PERM_DOSSIER_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, err);
	if (!d)
		return NULL;
	json_t *labels = checklist_of(db, who->tenant_id, int_of(d, "aid_type_id"));
	json_t *docs = document_store_list(db, who->tenant_id, dossier_id);
	json_t *reqs = document_store_requests(db, who->tenant_id, dossier_id);
	json_t *out = NULL;
	if (labels && docs && reqs)
		out = assemble(who, d, labels, docs, shape_requests(reqs));
	*err = out ? 0 : CAS_EDB;
	json_decref(labels);
	json_decref(docs);
	json_decref(reqs);
	json_decref(d);
	return out;
}

int document_download(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                      void **out, size_t *len, json_t **meta)
{
	*out = NULL;
	*meta = NULL;
	if (!perm_allows(who->role, PERM_DOCUMENT_READ) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *doc = document_store_get(db, who->tenant_id, dossier_id, id, &rc);
	if (doc)
		rc = audit_write(db, who, "telechargement", "document", id,
		                 json_pack("{s:[IO]}", "dossier_id", (json_int_t)dossier_id,
		                           json_object_get(doc, "sha256")));
	if (rc == 0)
		rc = document_store_content(db, who->tenant_id, dossier_id, id, out, len);
	rc = finish(db, rc);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		json_decref(doc);
		return rc;
	}
	access_log_read(db, who, "document", id); /* the access log (app/access_log.h) */
	json_object_set_new(
	    doc, "type_label",
	    json_string(filetype_label(filetype_from_mime(input_str(doc, "type_mime")))));
	*meta = doc;
	return 0;
}

/* --- deletion --- */

static int write_delete(struct db *db, const struct actor *who, int64_t dossier_id,
                        const json_t *doc)
{
	int64_t now = clock_now(), id = int_of(doc, "id");
	char what[512], detail[600];
	describe(input_str((json_t *)doc, "piece"), input_str((json_t *)doc, "type_mime"),
	         int_of(doc, "taille"), what, sizeof(what));
	snprintf(detail, sizeof(detail), "Pièce supprimée : %s.", what);
	int rc = document_store_delete(db, who->tenant_id, dossier_id, id);
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, dossier_id, who->user_id,
		                                who->label, "piece", detail, now);
	if (rc == 0)
		rc = dossier_store_touch(db, who->tenant_id, dossier_id, now);
	if (rc == 0)
		rc = audit_write(db, who, "suppression", "document", id,
		                 json_pack("{s:[On], s:[On], s:[On], s:[On], s:[On]}", "dossier_id",
		                           json_object_get(doc, "dossier_id"), "piece",
		                           json_object_get(doc, "piece"), "nom_fichier",
		                           json_object_get(doc, "nom_fichier"), "taille",
		                           json_object_get(doc, "taille"), "sha256",
		                           json_object_get(doc, "sha256")));
	return rc;
}

int document_delete(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id)
{
	if (!perm_allows(who->role, PERM_DOSSIER_INSTRUCT) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
	json_t *doc = d ? document_store_get(db, who->tenant_id, dossier_id, id, &rc) : NULL;
	if (doc && state_of(d) >= DS_DECIDE)
		rc = CAS_ECONFLICT;
	else if (doc)
		rc = write_delete(db, who, dossier_id, doc);
	json_decref(doc);
	json_decref(d);
	return finish(db, rc);
}

/* --- request for the missing pieces --- */

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void add_label(json_t *list, const char *s, size_t n, json_t *errs)
{
	while (n && blank(*s)) {
		s++;
		n--;
	}
	while (n && blank(s[n - 1]))
		n--;
	if (!n)
		return;
	json_t *v = json_stringn(s, n);
	if (!v || utf8_strlen(json_string_value(v)) > DOCUMENT_LABEL_MAX)
		input_error(errs, "pieces", "Chaque pièce tient en 200 caractères au plus.");
	else if (!in_list(list, json_string_value(v)))
		json_array_append(list, v);
	json_decref(v);
}

/* The labels asked for: "pieces" (array, or form fields pieces, pieces[1]
 * ...) and the lines of "autres". New array. */
static json_t *read_pieces(json_t *in, json_t *errs)
{
	json_t *list = json_array(), *arr = json_object_get(in, "pieces");
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		const char *s = json_string_value(x);
		if (s)
			add_label(list, s, strlen(s), errs);
	}
	for (int k = 0; !json_is_array(arr) && k < 100; k++) {
		char key[24];
		snprintf(key, sizeof(key), k ? "pieces[%d]" : "pieces", k);
		const char *s = input_str(in, key);
		add_label(list, s, strlen(s), errs);
	}
	const char *autres = input_str(in, "autres");
	while (*autres) {
		size_t n = strcspn(autres, "\n");
		add_label(list, autres, n, errs);
		autres += n + (autres[n] == '\n');
	}
	if (!json_array_size(list))
		input_error(errs, "pieces", "Cochez ou écrivez au moins une pièce à demander.");
	else if (json_array_size(list) > PIECES_MAX)
		input_error(errs, "pieces", "Demandez au plus 30 pièces à la fois.");
	return list;
}

/* "Justificatif de domicile ; Avis d'imposition." (caller frees) */
static char *join_labels(json_t *list)
{
	size_t total = 2, i;
	json_t *x;
	json_array_foreach(list, i, x) total += strlen(json_string_value(x)) + 3;
	char *out = xmalloc(total);
	out[0] = '\0';
	size_t o = 0;
	json_array_foreach(list, i, x)
	{
		o += (size_t)snprintf(out + o, total - o, "%s%s", i ? " ; " : "",
		                      json_string_value(x));
	}
	snprintf(out + o, total - o, ".");
	return out;
}

/* The first message of a use case's errors, as errs[field]. */
static void take_message(json_t *errs, const char *field, json_t *from, const char *dflt)
{
	const char *key;
	json_t *v;
	const char *msg = dflt;
	json_object_foreach(from, key, v)
	{
		if (json_is_string(v)) {
			msg = json_string_value(v);
			break;
		}
	}
	input_error(errs, field, msg);
}

/* Into en_attente_pieces, or a reminder when the dossier waits already. */
static int move_or_remind(struct db *db, const struct actor *who, const json_t *d,
                          const char *motif, json_t *errs)
{
	int64_t id = int_of(d, "id");
	if (state_of(d) == DS_EN_ATTENTE_PIECES) {
		char *detail = xmalloc(strlen(motif) + 64);
		snprintf(detail, strlen(motif) + 64, "Relance : pièces demandées à nouveau : %s",
		         motif);
		int rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id,
		                                    who->label, "pieces", detail, clock_now());
		free(detail);
		return rc;
	}
	json_t *fields = json_pack("{s:s}", "motif", motif), *werr = NULL;
	int rc = workflow_transition_in(db, who, id, "en_attente_pieces", fields, &werr);
	if (rc == CAS_EINVAL)
		take_message(errs, "etat", werr,
		             "Le dossier ne peut pas attendre de pièces maintenant.");
	json_decref(fields);
	json_decref(werr);
	return rc;
}

static int make_letter(struct db *db, const struct actor *who, int64_t dossier_id, json_t *pieces,
                       const char *message, int64_t *letter_id, json_t *errs)
{
	json_t *params = json_pack("{s:O}", "pieces", pieces), *lerr = NULL;
	if (*message)
		json_object_set_new(params, "motif", json_string(message));
	int rc =
	    letters_generate_in(db, who, dossier_id, "demande_pieces", params, letter_id, &lerr);
	if (rc == CAS_EINVAL)
		take_message(errs, "courrier", lerr,
		             "Le courrier de demande n'a pas pu être produit.");
	json_decref(params);
	json_decref(lerr);
	return rc;
}

struct request {
	json_t *pieces;
	const char *message;
	int64_t id, letter_id;
};

static int write_request(struct db *db, const struct actor *who, int64_t dossier_id,
                         struct request *q, json_t *errs)
{
	int rc;
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
	if (!d)
		return rc;
	char *motif = join_labels(q->pieces), *text = json_dumps(q->pieces, JSON_COMPACT);
	rc = move_or_remind(db, who, d, motif, errs);
	if (rc == 0)
		rc = document_store_request_insert(db, who->tenant_id, dossier_id, text, q->message,
		                                   who->user_id, who->label, clock_now(), &q->id);
	if (rc == 0)
		rc = make_letter(db, who, dossier_id, q->pieces, q->message, &q->letter_id, errs);
	if (rc == 0)
		rc = document_store_request_set_letter(db, who->tenant_id, q->id, q->letter_id);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "document_request", q->id,
		                 json_pack("{s:[nI], s:[nO], s:[ns], s:[nI]}", "dossier_id",
		                           (json_int_t)dossier_id, "pieces", q->pieces, "message",
		                           q->message, "letter_id", (json_int_t)q->letter_id));
	free(motif);
	json_free_text(text);
	json_decref(d);
	return rc;
}

int document_request_missing(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                             int64_t *request_id, int64_t *letter_id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_REQUEST_DOCS) || !who->tenant_id)
		return CAS_EPERM;
	json_t *errs = json_object();
	struct request q = {read_pieces(in, errs), input_str(in, "message"), 0, 0};
	if (utf8_strlen(q.message) > MESSAGE_MAX)
		input_error(errs, "message",
		            "Les précisions tiennent en 2 000 caractères au plus.");
	int rc = db_begin(db);
	if (rc == 0 && json_object_size(errs)) {
		/* the dossier first: another tenant's dossier is not found, whatever the input */
		json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
		json_decref(d);
		rc = rc == 0 ? CAS_EINVAL : rc;
	}
	if (rc == 0)
		rc = write_request(db, who, dossier_id, &q, errs);
	if (rc == CAS_EINVAL) {
		*errors = errs;
		errs = NULL;
	}
	if (rc == 0 && request_id)
		*request_id = q.id;
	if (rc == 0 && letter_id)
		*letter_id = q.letter_id;
	json_decref(errs);
	json_decref(q.pieces);
	return finish(db, rc);
}
