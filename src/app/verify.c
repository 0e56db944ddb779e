/* "Vérifier la situation": the two consultations, concurrently, and their
 * records under one verification (see verify.h). */
#include "app/verify.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/consult_caf.h"
#include "app/consult_record.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "domain/ident.h"
#include "providers/impots.h"
#include "store/db.h"
#include "store/verification_store.h"

#define SPI_KEY_MAX 64

static unsigned char spi_key[SPI_KEY_MAX];
static size_t spi_key_len;

void verify_set_spi_key(const unsigned char *key, size_t len)
{
	if (len < IP_SPI_HASH_KEY_MIN || len > SPI_KEY_MAX)
		return;
	memcpy(spi_key, key, len);
	spi_key_len = len;
}

int verify_spi_key_ready(void)
{
	return spi_key_len > 0;
}

void verify_wipe_input(json_t *in)
{
	json_t *v = json_object_get(in, "spi");
	if (json_is_string(v))
		sodium_memzero((char *)json_string_value(v), json_string_length(v));
}

/* --- the input --- */

/* The year typed, 0 when none; -1 when unreadable. */
static int year_of(json_t *in, int current)
{
	json_t *v = json_object_get(in, "annee");
	long y = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		y = (long)json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!*s)
			return 0;
		if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
			return -1;
		y = strtol(s, NULL, 10);
	} else {
		return -1;
	}
	return y >= 2000 && y < current ? (int)y : -1;
}

/* Checks in; the normalised SPI into spi (wiped on failure). */
static json_t *check_input(json_t *in, char spi[IP_SPI_LEN + 1], int *year, const char **warning)
{
	json_t *errors = json_object();
	struct ident_result id;
	json_t *v = json_object_get(in, "spi");
	int y, m, d;
	paris_ymd(clock_now(), &y, &m, &d);
	spi[0] = '\0';
	if (!json_is_string(v) || !*json_string_value(v)) {
		input_error(
		    errors, "spi",
		    "Saisissez le numéro fiscal d'un déclarant, tel qu'il figure sur l'avis "
		    "d'impôt (13 chiffres).");
	} else if (ident_numero_fiscal(json_string_value(v), &id) != 0) {
		input_error(errors, "spi", id.reason);
	} else {
		memcpy(spi, id.normalised, IP_SPI_LEN);
		spi[IP_SPI_LEN] = '\0';
		*warning = id.nb_warnings ? id.warnings[0] : NULL;
	}
	sodium_memzero(&id, sizeof(id));
	*year = year_of(in, y);
	if (*year < 0)
		input_error(errors, "annee",
		            "L'année des revenus s'écrit sur quatre chiffres (par exemple celle du "
		            "dernier avis d'impôt) et ne peut pas être l'année en cours.");
	if (json_object_size(errors) == 0) {
		json_decref(errors);
		return NULL;
	}
	sodium_memzero(spi, IP_SPI_LEN + 1);
	return errors;
}

/* --- the DGFiP call --- */

struct dgfip_call {
	json_t *settings; /* tenant_impots row, NULL when not configured */
	char spi[IP_SPI_LEN + 1];
	int year;
	char scopes[512];
	int64_t at;
	struct ip_result res;
	json_t *minimised;
};

static const char *opt(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s ? s : NULL;
}

static void *dgfip_run(void *arg)
{
	struct dgfip_call *c = arg;
	char *id = consult_secret_read(opt(c->settings, "client_id_file"));
	char *secret = consult_secret_read(opt(c->settings, "client_secret_file"));
	if (c->settings && (!id || !secret))
		log_msg(LOG_WARN, "api_impot_particulier: client id or secret file unreadable");
	struct ip_config cfg = {
	    .base_url = opt(c->settings, "base_url"),
	    .client_id = id,
	    .client_secret = secret,
	    .cert_file = opt(c->settings, "cert_file"),
	    .key_file = opt(c->settings, "key_file"),
	    .id_teleservice = opt(c->settings, "id_teleservice"),
	};
	c->at = clock_now();
	ip_situation(&cfg, c->spi, c->year, 0, NULL, &c->res);
	sodium_memzero(c->spi, sizeof(c->spi));
	consult_secret_free(id);
	consult_secret_free(secret);
	if (c->res.kind == IP_OK) {
		char buf[sizeof(c->scopes)];
		const char *list[32];
		snprintf(buf, sizeof(buf), "%s", c->scopes);
		int n = consult_split_scopes(buf, list);
		c->minimised = ip_minimise(c->res.data, list, n);
	}
	return NULL;
}

static json_t *dgfip_record(const struct actor *who, const struct dgfip_call *c, const char *siret,
                            const char *hash)
{
	const struct ip_result *r = &c->res;
	json_t *params =
	    json_pack("{s:s, s:i}", "numero_fiscal_empreinte", hash, "annee", r->year_asked);
	if (r->correlation_id[0])
		json_object_set_new(params, "correlation_id", json_string(r->correlation_id));
	if (opt(c->settings, "id_teleservice"))
		json_object_set_new(params, "id_teleservice",
		                    json_string(opt(c->settings, "id_teleservice")));
	struct consult_call call = {
	    .at = c->at,
	    .api = VERIFY_API_IMPOTS,
	    .endpoint = r->path ? r->path
	                        : IP_BASE_PATH "/spi/{spi}/situations/ir/assiettes/annrev/{annrev}",
	    .recipient = siret,
	    .scopes = c->scopes,
	    .parameters = params,
	    .http_status = r->http_status,
	    .error_kind = r->kind == IP_OK ? NULL : ip_kind_name(r->kind),
	    .error_code = r->code,
	    .error_message = r->message,
	    .request_id = r->correlation_id,
	    .body_sha256 = r->body_sha256,
	    .minimised = c->minimised,
	};
	json_t *rec = consult_record_signed(who, &call);
	json_decref(params);
	return rec;
}

static void dgfip_free(struct dgfip_call *c)
{
	sodium_memzero(c->spi, sizeof(c->spi));
	json_decref(c->settings);
	json_decref(c->minimised);
	ip_result_free(&c->res);
}

/* --- the records --- */

struct records {
	json_t *caf, *dgfip; /* signed records */
	int64_t applicant;
	const char *hash;
};

static int write_all(struct db *db, const struct actor *who, int64_t dossier_id,
                     const struct records *rs, struct verify_outcome *out)
{
	struct verification_row v = {.dossier_id = dossier_id,
	                             .agent_id = who->user_id,
	                             .agent_label = who->label,
	                             .at = clock_now(),
	                             .annee = out->annee,
	                             .spi_hash = rs->hash};
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = verification_store_insert(db, who->tenant_id, &v, &out->verification_id);
	struct consult_place caf = {dossier_id, rs->applicant, out->verification_id, NULL};
	struct consult_place dgfip = {dossier_id, rs->applicant, out->verification_id, rs->hash};
	if (rc == 0)
		rc = consult_record_insert(db, who, &caf, rs->caf, &out->caf_id);
	if (rc == 0)
		rc = consult_record_insert(db, who, &dgfip, rs->dgfip, &out->dgfip_id);
	if (rc == 0)
		rc = audit_write(db, who, "consultation", "verification", out->verification_id,
		                 json_pack("{s:[nI], s:[ns], s:[ns], s:[ni]}", "dossier_id",
		                           (json_int_t)dossier_id, "caf", out->caf_kind, "dgfip",
		                           out->dgfip_kind, "annee", out->annee));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* --- the use case --- */

/* What both calls need, read before them. */
static int prepare(struct db *db, const struct actor *who, int64_t dossier_id, struct caf_call *caf,
                   struct dgfip_call *dg)
{
	int rc = caf_call_prepare(db, who, dossier_id, caf);
	if (rc != 0)
		return rc;
	int64_t aid = json_integer_value(json_object_get(caf->ctx, "aid_type_id"));
	json_t *scopes = verification_store_aid_scopes(db, who->tenant_id, aid, &rc);
	if (scopes) {
		snprintf(dg->scopes, sizeof(dg->scopes), "%s",
		         opt(scopes, "scopes") ? opt(scopes, "scopes") : "");
		json_decref(scopes);
		dg->settings = verification_store_impots(db, who->tenant_id, &rc);
	}
	if (!dg->settings && rc != CAS_ENOTFOUND) {
		caf_call_free(caf);
		return rc;
	}
	return 0;
}

/* Both calls at once: the DGFiP in a second thread. */
static void run_both(struct caf_call *caf, struct dgfip_call *dg)
{
	pthread_t t;
	int threaded = pthread_create(&t, NULL, dgfip_run, dg) == 0;
	caf_call_run(caf);
	if (threaded)
		pthread_join(t, NULL);
	else
		dgfip_run(dg);
}

static int record(struct db *db, const struct actor *who, int64_t dossier_id, struct caf_call *caf,
                  struct dgfip_call *dg, const char *hash, struct verify_outcome *out)
{
	out->caf_ok = caf->res.kind == PA_OK;
	out->dgfip_ok = dg->res.kind == IP_OK;
	out->annee = dg->res.year_asked;
	snprintf(out->caf_kind, sizeof(out->caf_kind), "%s", pa_kind_name(caf->res.kind));
	snprintf(out->dgfip_kind, sizeof(out->dgfip_kind), "%s", ip_kind_name(dg->res.kind));
	const char *siret = json_string_value(json_object_get(caf->ctx, "siret"));
	struct records rs = {
	    .caf = caf_call_record(who, caf),
	    .dgfip = dgfip_record(who, dg, siret, hash),
	    .applicant = json_integer_value(json_object_get(caf->ctx, "applicant_id")),
	    .hash = hash,
	};
	int rc = rs.caf && rs.dgfip ? write_all(db, who, dossier_id, &rs, out) : CAS_EIO;
	json_decref(rs.caf);
	json_decref(rs.dgfip);
	return rc;
}

int verify_situation(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                     struct verify_outcome *out, json_t **errors)
{
	struct caf_call caf;
	struct dgfip_call dg;
	char hash[IP_SPI_HASH_HEX];
	memset(out, 0, sizeof(*out));
	memset(&dg, 0, sizeof(dg));
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PARTICULIER_CONSULT))
		return CAS_EPERM;
	int rc = prepare(db, who, dossier_id, &caf, &dg);
	if (rc != 0)
		return rc;
	*errors = check_input(in, dg.spi, &dg.year, &out->spi_warning);
	if (*errors) {
		rc = CAS_EINVAL;
	} else if (!consult_signing_key() || !spi_key_len ||
	           ip_spi_hash(spi_key, spi_key_len, dg.spi, hash) != 0) {
		log_msg(LOG_ERROR,
		        "verification refused: no signing key or SPI hash key installed");
		rc = CAS_EIO;
	} else {
		run_both(&caf, &dg); /* outside any transaction */
		rc = record(db, who, dossier_id, &caf, &dg, hash, out);
	}
	dgfip_free(&dg);
	caf_call_free(&caf);
	return rc;
}
