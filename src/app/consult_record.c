#include "app/consult_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/consult_caf.h"
#include "app/consultations.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/proof.h"
#include "base/xalloc.h"
#include "store/consultation_store.h"
#include "store/db.h"

#define SECRET_MAX 4096

static char *canonical_text(const json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char *copy = xstrdup(t ? t : "{}");
	json_free_text(t);
	return copy;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *record_of(const struct actor *who, const struct consult_call *c)
{
	char *ptext = canonical_text(c->parameters);
	json_t *rec =
	    json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "agent_id",
	              (json_int_t)who->user_id, "agent_label", who->label, "at", (json_int_t)c->at,
	              "api", c->api, "endpoint", c->endpoint, "recipient",
	              c->recipient ? c->recipient : "", "scopes", c->scopes ? c->scopes : "",
	              "parameters", ptext, "http_status", (json_int_t)c->http_status);
	free(ptext);
	json_object_set_new(rec, "error_kind", str_or_null(c->error_kind));
	json_object_set_new(rec, "error_code", str_or_null(c->error_code));
	json_object_set_new(rec, "error_message",
	                    c->error_kind ? str_or_null(c->error_message) : json_null());
	json_object_set_new(rec, "request_id", str_or_null(c->request_id));
	json_object_set_new(rec, "response_sha256",
	                    c->http_status ? str_or_null(c->body_sha256) : json_null());
	if (c->minimised) {
		char *mtext = canonical_text(c->minimised);
		json_object_set_new(rec, "response", json_string(mtext));
		free(mtext);
	} else {
		json_object_set_new(rec, "response", json_null());
	}
	return rec;
}

json_t *consult_record_signed(const struct actor *who, const struct consult_call *c)
{
	const struct proof_key *key = consult_signing_key();
	if (!key)
		return NULL;
	char sig[PROOF_B64_SIG];
	json_t *rec = record_of(who, c);
	json_t *fields = consultation_signed_fields(rec);
	int rc = proof_sign(key, fields, sig);
	json_decref(fields);
	if (rc != 0) {
		json_decref(rec);
		return NULL;
	}
	json_object_set_new(rec, "signature", json_string(sig));
	json_object_set_new(rec, "key_id", json_string(key->key_id));
	json_object_set_new(rec, "public_key", json_string(key->pk_b64));
	return rec;
}

static const char *s_or_null(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t int_of(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

int consult_record_insert(struct db *db, const struct actor *who, const struct consult_place *at,
                          const json_t *rec, int64_t *id)
{
	struct consultation_row row = {
	    .dossier_id = at->dossier_id,
	    .person_id = at->person_id,
	    .agent_id = who->user_id,
	    .verification_id = at->verification_id,
	    .spi_hash = at->spi_hash,
	    .agent_label = who->label,
	    .at = int_of(rec, "at"),
	    .api = s_or_null(rec, "api"),
	    .endpoint = s_or_null(rec, "endpoint"),
	    .recipient = s_or_null(rec, "recipient"),
	    .scopes = s_or_null(rec, "scopes"),
	    .parameters = s_or_null(rec, "parameters"),
	    .http_status = int_of(rec, "http_status"),
	    .error_kind = s_or_null(rec, "error_kind"),
	    .error_code = s_or_null(rec, "error_code"),
	    .error_message = s_or_null(rec, "error_message"),
	    .request_id = s_or_null(rec, "request_id"),
	    .response_sha256 = s_or_null(rec, "response_sha256"),
	    .response = s_or_null(rec, "response"),
	    .signature = s_or_null(rec, "signature"),
	    .key_id = s_or_null(rec, "key_id"),
	    .public_key = s_or_null(rec, "public_key"),
	};
	int rc = consultation_store_insert(db, who->tenant_id, &row, id);
	if (rc != 0)
		return rc;
	return audit_write(db, who, "consultation", "consultation", *id,
	                   json_pack("{s:[nI], s:[ns], s:[ns], s:[nI], s:[ns?]}", "dossier_id",
	                             (json_int_t)at->dossier_id, "api", row.api, "resultat",
	                             row.error_kind ? row.error_kind : "ok", "http_status",
	                             (json_int_t)row.http_status, "request_id", row.request_id));
}

int consult_record_store(struct db *db, const struct actor *who, const struct consult_place *at,
                         const json_t *rec, int64_t *id)
{
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = consult_record_insert(db, who, at, rec, id);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

char *consult_secret_read(const char *path)
{
	FILE *f = path && *path ? fopen(path, "re") : NULL;
	if (!f)
		return NULL;
	char *line = xmalloc(SECRET_MAX);
	char *ok = fgets(line, SECRET_MAX, f);
	fclose(f);
	if (ok)
		line[strcspn(line, "\r\n")] = '\0';
	if (!ok || !line[0]) {
		sodium_memzero(line, SECRET_MAX);
		free(line);
		return NULL;
	}
	return line;
}

void consult_secret_free(char *s)
{
	if (!s)
		return;
	sodium_memzero(s, SECRET_MAX);
	free(s);
}

int consult_split_scopes(char *buf, const char *list[32])
{
	int n = 0;
	for (char *p = buf; *p && n < 32;) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		list[n++] = p;
		p += len;
		if (*p)
			*p++ = '\0';
	}
	return n;
}
