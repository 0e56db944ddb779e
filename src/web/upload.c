#include "web/upload.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/documents.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "web/handlers.h"
#include "web/req.h"
#include "web/route.h"
#include "web/server.h"

#define PP_BUFFER  (64 * 1024)
#define FIELDS_MAX (64 * 1024) /* bytes of all the text fields together */
#define VALUES_MAX 100         /* values of one key */

struct upload {
	struct MHD_PostProcessor *pp;
	size_t limit, total; /* body bytes allowed, seen */
	struct buf file;     /* the first file's bytes, at most upload_max */
	char *filename;      /* as the client named it (heap) */
	int files;           /* file parts seen */
	char key[128];       /* the text field being read */
	struct buf value;    /* its value so far */
	size_t fields_len;
	json_t *fields;
	int too_big, bad;
};

int upload_route(const struct route *rt)
{
	return rt && rt->handler == h_document_upload;
}

/* --- text fields --- */

static char *trimmed(char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		(*n)--;
	}
	while (*n &&
	       (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r' || s[*n - 1] == '\n'))
		(*n)--;
	return s;
}

/* Stores the value read so far under key, key[1], key[2]... */
static void flush_value(struct upload *u)
{
	if (!u->key[0])
		return;
	size_t n = u->value.len;
	char *v = trimmed(u->value.data ? u->value.data : "", &n);
	if (u->value.err || !utf8_valid(u->key, strlen(u->key)) || !utf8_valid(v, n))
		u->bad = 1;
	for (int i = 0; !u->bad && i < VALUES_MAX; i++) {
		char key[160];
		snprintf(key, sizeof(key), i ? "%s[%d]" : "%s", u->key, i);
		if (!json_object_get(u->fields, key)) {
			json_object_set_new(u->fields, key, json_stringn(v, n));
			break;
		}
	}
	u->key[0] = '\0';
	buf_reset(&u->value);
}

static void take_text(struct upload *u, const char *key, const char *data, uint64_t off,
                      size_t size)
{
	if (off == 0 || strcmp(key, u->key) != 0) {
		flush_value(u);
		if (strlen(key) >= sizeof(u->key)) {
			u->bad = 1;
			return;
		}
		snprintf(u->key, sizeof(u->key), "%s", key);
	}
	u->fields_len += size;
	if (u->fields_len > FIELDS_MAX)
		u->too_big = 1;
	else
		buf_append(&u->value, data, size);
}

/* --- the file --- */

static void take_file(struct upload *u, const char *filename, const char *data, uint64_t off,
                      size_t size)
{
	flush_value(u);
	if (off == 0)
		u->files++;
	if (u->files != 1)
		return; /* one file per request: the others are dropped */
	if (!u->filename)
		u->filename = xstrdup(filename);
	if (size && buf_append(&u->file, data, size) != 0)
		u->too_big = 1;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	struct upload *u = cls;
	if (!key) {
		u->bad = 1;
		return MHD_NO;
	}
	if (filename)
		take_file(u, filename, data, off, size);
	else
		take_text(u, key, data, off, size);
	return u->too_big || u->bad ? MHD_NO : MHD_YES;
}

/* --- life cycle --- */

static int is_multipart(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

size_t upload_begin(struct req *r)
{
	int known;
	if (strcmp(r->method, "POST") != 0 || !is_multipart(r) ||
	    !upload_route(route_match(r, r->method, r->path, &known)))
		return REQ_BODY_MAX;
	struct upload *u = xcalloc(1, sizeof(*u));
	u->pp = MHD_create_post_processor(r->conn, PP_BUFFER, on_part, u);
	if (!u->pp) { /* no boundary: the dispatcher refuses the body */
		free(u);
		return REQ_BODY_MAX;
	}
	u->limit = server_cfg.upload_max + UPLOAD_OVERHEAD;
	buf_init(&u->file, server_cfg.upload_max);
	buf_init(&u->value, FIELDS_MAX);
	u->fields = json_object();
	r->upload = u;
	return u->limit;
}

int upload_feed(struct req *r, const char *data, size_t size)
{
	struct upload *u = r->upload;
	u->total += size;
	if (u->total > u->limit)
		u->too_big = 1;
	if (!u->too_big && !u->bad && MHD_post_process(u->pp, data, size) != MHD_YES && !u->too_big)
		u->bad = 1;
	return u->too_big ? CAS_ETOOBIG : 0;
}

int upload_finish(struct req *r)
{
	struct upload *u = r->upload;
	if (u->pp) {
		MHD_destroy_post_processor(u->pp); /* its verdict on the epilogue is moot */
		u->pp = NULL;
	}
	flush_value(u);
	if (u->bad)
		return CAS_EINVAL;
	json_decref(r->form);
	r->form = json_incref(u->fields);
	return 0;
}

void upload_file(struct req *r, struct document_file *f)
{
	struct upload *u = r->upload;
	memset(f, 0, sizeof(*f));
	if (!u || u->files == 0)
		return;
	f->name = u->filename;
	f->data = u->file.data;
	f->len = u->file.len;
	f->too_big = u->too_big || u->file.err;
}

void upload_free(struct req *r)
{
	struct upload *u = r->upload;
	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	buf_free(&u->file);
	buf_free(&u->value);
	free(u->filename);
	json_decref(u->fields);
	free(u);
	r->upload = NULL;
}

void upload_too_big(struct req *r)
{
	h_document_too_big(r);
}
