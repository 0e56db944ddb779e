#include "store/sealed_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/log.h"
#include "base/seal.h"
#include "store/query.h"

const struct sealed_column sealed_columns[] = {
    {"consultations", "response", 0, NULL, "réponses des API de l'État"},
    {"dossier_events", "detail", 0, "kind = 'note'", "notes d'instruction"},
    {"payees", "iban", 0, NULL, "IBAN des titulaires de comptes"},
    {"documents", "contenu", 1, NULL, "pièces justificatives"},
    {NULL, NULL, 0, NULL, NULL},
};

#define SQL_MAX 512

/* --- writing and reading sealed values --- */

static int seal_failed(const char *what, const char *ad, const char *key, int rc)
{
	log_msg(LOG_ERROR, "sealed value %s cannot be %s (key %s): %s", ad, what, key,
	        cas_err_name(rc));
	return CAS_EIO;
}

int sealed_put_text(struct db *db, const char *table, const char *column, int64_t tenant_id,
                    int64_t id, const char *plain)
{
	char ad[SEAL_AD_MAX], sql[SQL_MAX], *sealed = NULL;
	seal_ad(ad, table, column, id);
	int rc = plain ? seal_text(plain, ad, &sealed) : 0;
	if (rc != 0)
		return seal_failed("written", ad, "-", rc);
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE tenant_id = ? AND id = ?", table,
	         column);
	rc = q_exec(db, sql, "tii", sealed, tenant_id, id);
	free(sealed);
	return rc;
}

int sealed_put_blob(struct db *db, const char *table, const char *column, int64_t tenant_id,
                    int64_t id, const void *p, size_t n)
{
	char ad[SEAL_AD_MAX], sql[SQL_MAX];
	unsigned char *sealed;
	size_t sn;
	seal_ad(ad, table, column, id);
	int rc = seal_bytes(p, n, ad, &sealed, &sn);
	if (rc != 0)
		return seal_failed("written", ad, "-", rc);
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE tenant_id = ? AND id = ?", table,
	         column);
	rc = q_exec(db, sql, "bii", (const void *)sealed, sn, tenant_id, id);
	free(sealed);
	return rc;
}

int sealed_open_field(json_t *row, const char *field, const char *table, const char *column,
                      int64_t id)
{
	char ad[SEAL_AD_MAX], key[SEAL_ID_HEX] = "?", *plain;
	const char *v = json_string_value(json_object_get(row, field));
	if (!v || !seal_is_sealed_text(v))
		return 0;
	seal_ad(ad, table, column, id);
	int rc = seal_open_text(v, ad, &plain);
	if (rc != 0) {
		seal_text_key_id(v, key);
		return seal_failed("opened", ad, key, rc);
	}
	json_object_set_new(row, field, json_string(plain));
	sodium_memzero(plain, strlen(plain));
	free(plain);
	return 0;
}

int sealed_open_rows(json_t *rows, const char *field, const char *table, const char *column)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		int64_t id = json_integer_value(json_object_get(row, "id"));
		int rc = sealed_open_field(row, field, table, column, id);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int sealed_open_blob(const char *table, const char *column, int64_t id, void **p, size_t *n)
{
	char ad[SEAL_AD_MAX], key[SEAL_ID_HEX] = "?";
	unsigned char *plain;
	size_t pn;
	if (!seal_is_sealed(*p, *n))
		return 0;
	seal_ad(ad, table, column, id);
	int rc = seal_open_bytes(*p, *n, ad, &plain, &pn);
	if (rc != 0)
		seal_key_id(*p, *n, key);
	free(*p);
	*p = NULL;
	if (rc != 0)
		return seal_failed("opened", ad, key, rc);
	*p = plain;
	*n = pn;
	return 0;
}

/* --- data keys --- */

json_t *sealed_store_keys(struct db *db)
{
	return q_rows(db,
	              "SELECT key_id, state, created_at, retired_at FROM data_keys "
	              "ORDER BY created_at, key_id",
	              "");
}

int sealed_store_key_activate(struct db *db, const char *key_id, int64_t now)
{
	int rc = q_exec(
	    db, "UPDATE data_keys SET state = 'ancien' WHERE state = 'actif' AND key_id <> ?", "t",
	    key_id);
	if (rc == 0)
		rc = q_exec(
		    db,
		    "INSERT INTO data_keys (key_id, state, created_at) VALUES (?, 'actif', ?) "
		    "ON CONFLICT (key_id) DO UPDATE SET state = 'actif', retired_at = NULL",
		    "ti", key_id, now);
	return rc;
}

int sealed_store_keys_retire(struct db *db, int64_t now)
{
	return q_exec(
	    db, "UPDATE data_keys SET state = 'retire', retired_at = ? WHERE state = 'ancien'", "i",
	    now);
}

/* --- rotation --- */

json_t *sealed_store_tenants(struct db *db)
{
	return q_rows(db, "SELECT id FROM tenants ORDER BY id", "");
}

json_t *sealed_store_batch(struct db *db, const struct sealed_column *c, int64_t tenant_id,
                           int64_t after_id, int limit)
{
	char sql[SQL_MAX];
	/* a binary value: its header only, the first 5 bytes */
	snprintf(sql, sizeof(sql),
	         "SELECT id, %s%s%s FROM %s WHERE tenant_id = ? AND id > ? AND %s IS NOT NULL%s%s "
	         "ORDER BY id LIMIT ?",
	         c->binary ? "substr(" : "", c->column, c->binary ? ", 1, 5) AS h" : "", c->table,
	         c->column, c->filter ? " AND " : "", c->filter ? c->filter : "");
	json_t *rows = q_rows(db, sql, "iii", tenant_id, after_id, (int64_t)limit);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		if (!c->binary) /* one name for the value, whatever the column */
			json_object_set(row, "v", json_object_get(row, c->column));
	}
	return rows;
}

int sealed_store_blob(struct db *db, const struct sealed_column *c, int64_t tenant_id, int64_t id,
                      void **out, size_t *len)
{
	char sql[SQL_MAX];
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE tenant_id = ? AND id = ?", c->column,
	         c->table);
	return q_blob(db, out, len, sql, "ii", tenant_id, id);
}

int sealed_store_swap(struct db *db, const struct sealed_column *c, int64_t tenant_id, int64_t id,
                      const void *old, size_t oldn, const void *new_value, size_t newn)
{
	char sql[SQL_MAX];
	int64_t n = 0;
	snprintf(sql, sizeof(sql),
	         "UPDATE %s SET %s = ? WHERE tenant_id = ? AND id = ? AND %s = ? RETURNING id",
	         c->table, c->column, c->column);
	int rc = c->binary ? q_count(db, &n, sql, "biib", new_value, newn, tenant_id, id, old, oldn)
	                   : q_count(db, &n, sql, "tiit", (const char *)new_value, tenant_id, id,
	                             (const char *)old);
	return rc < 0 ? rc : (n > 0);
}
