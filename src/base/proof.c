#include "base/proof.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"

#define CANON_HEADER  "cassis-preuve-consultation-v1\n"
#define SECRET_PREFIX "ed25519-secret:"
#define PUBLIC_PREFIX "ed25519-public:"
#define KEY_FILE_MAX  4096
#define B64_VARIANT   sodium_base64_VARIANT_ORIGINAL

const char *const proof_fields[] = {
    "api",    "endpoint",          "request_id",       "time",  "http_status",
    "result", "error_code",        "response_sha256",  "siret", "agent",
    "scopes", "parameters_sha256", "minimised_sha256", NULL,
};

void proof_key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], char out[PROOF_KEY_ID])
{
	char hex[65];
	sha256_hex(pk, crypto_sign_PUBLICKEYBYTES, hex);
	memcpy(out, hex, PROOF_KEY_ID - 1);
	out[PROOF_KEY_ID - 1] = '\0';
}

static void key_finish(struct proof_key *k)
{
	sodium_bin2base64(k->pk_b64, sizeof(k->pk_b64), k->pk, sizeof(k->pk), B64_VARIANT);
	proof_key_id(k->pk, k->key_id);
}

static int b64_decode(const char *s, size_t len, unsigned char *out, size_t want)
{
	size_t n = 0;
	if (sodium_base642bin(out, want, s, len, " \t\r\n", &n, NULL, B64_VARIANT) != 0 ||
	    n != want)
		return CAS_EINVAL;
	return 0;
}

/* --- key files --- */

/* Writes the key file's text for seed into fd; 0 or CAS_EIO. */
static int write_key_text(int fd, const unsigned char seed[crypto_sign_SEEDBYTES])
{
	char b64[PROOF_B64_KEY];
	struct buf text;
	sodium_bin2base64(b64, sizeof(b64), seed, crypto_sign_SEEDBYTES, B64_VARIANT);
	buf_init(&text, KEY_FILE_MAX);
	buf_printf(
	    &text,
	    "# Clé de signature des preuves de consultation de Cassis (Ed25519).\n"
	    "# Secrète : ne la copiez nulle part ailleurs que dans la sauvegarde du serveur.\n"
	    "%s%s\n",
	    SECRET_PREFIX, b64);
	sodium_memzero(b64, sizeof(b64));
	ssize_t w = write(fd, text.data, text.len);
	int ok = !text.err && w >= 0 && (size_t)w == text.len && fsync(fd) == 0;
	sodium_memzero(text.data, text.len);
	buf_free(&text);
	return ok ? 0 : CAS_EIO;
}

/* The key is written to a temporary file, then linked to path: another
 * process never reads a half-written key, and an existing file is never
 * replaced (link fails with EEXIST). */
int proof_key_create(const char *path, struct proof_key *k)
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	char tmp[4096];
	if (access(path, F_OK) == 0)
		return CAS_ECONFLICT;
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return CAS_EIO;
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	int rc = write_key_text(fd, seed);
	sodium_memzero(seed, sizeof(seed));
	if (close(fd) != 0)
		rc = CAS_EIO;
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? CAS_ECONFLICT : CAS_EIO;
	unlink(tmp);
	if (rc != 0) {
		proof_key_wipe(k);
		return rc;
	}
	key_finish(k);
	return 0;
}

/* The file's key line (first line that is neither empty nor a comment)
 * into line. 0, CAS_ENOTFOUND, CAS_EIO, CAS_EINVAL. */
static int read_key_line(const char *path, char *line, size_t linesz)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? CAS_ENOTFOUND : CAS_EIO;
	int rc = CAS_EINVAL;
	while (fgets(line, (int)linesz, f)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

int proof_key_load(const char *path, int create, struct proof_key *k, int *created)
{
	char line[256];
	unsigned char seed[crypto_sign_SEEDBYTES];
	if (created)
		*created = 0;
	int rc = read_key_line(path, line, sizeof(line));
	if (rc == CAS_ENOTFOUND && create) {
		rc = proof_key_create(path, k);
		if (rc == 0 && created)
			*created = 1;
		if (rc != CAS_ECONFLICT) /* another process made it meanwhile: read it */
			return rc;
		rc = read_key_line(path, line, sizeof(line));
	}
	if (rc != 0)
		return rc;
	size_t plen = strlen(SECRET_PREFIX);
	if (strncmp(line, SECRET_PREFIX, plen) != 0 ||
	    b64_decode(line + plen, strlen(line + plen), seed, sizeof(seed)) != 0) {
		sodium_memzero(line, sizeof(line));
		return CAS_EINVAL;
	}
	sodium_memzero(line, sizeof(line));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	key_finish(k);
	return 0;
}

void proof_key_wipe(struct proof_key *k)
{
	sodium_memzero(k->sk, sizeof(k->sk));
}

int proof_public_key_read(const char *path, unsigned char pk[crypto_sign_PUBLICKEYBYTES])
{
	char line[256];
	int rc = read_key_line(path, line, sizeof(line));
	if (rc != 0)
		return rc == CAS_ENOTFOUND ? CAS_EIO : rc;
	if (strncmp(line, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0) {
		sodium_memzero(line, sizeof(line));
		struct proof_key k;
		rc = proof_key_load(path, 0, &k, NULL);
		if (rc == 0)
			memcpy(pk, k.pk, sizeof(k.pk));
		proof_key_wipe(&k);
		return rc;
	}
	const char *b64 = line;
	if (strncmp(line, PUBLIC_PREFIX, strlen(PUBLIC_PREFIX)) == 0)
		b64 += strlen(PUBLIC_PREFIX);
	return b64_decode(b64, strlen(b64), pk, crypto_sign_PUBLICKEYBYTES);
}

/* --- canonical forms --- */

void proof_json_sha256(const json_t *v, char out[65])
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	const char *s = text ? text : "null";
	sha256_hex(s, strlen(s), out);
	json_free_text(text);
}

static void put_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '%') {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_append(b, e, 3);
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

char *proof_canonical(const json_t *fields)
{
	struct buf b;
	buf_init(&b, 1024 * 1024);
	buf_puts(&b, CANON_HEADER);
	for (const char *const *f = proof_fields; *f; f++) {
		const char *v = json_string_value(json_object_get(fields, *f));
		if (!v) {
			buf_free(&b);
			return NULL;
		}
		buf_puts(&b, *f);
		buf_putc(&b, '=');
		put_escaped(&b, v);
		buf_putc(&b, '\n');
	}
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

int proof_sign(const struct proof_key *k, const json_t *fields, char sig[PROOF_B64_SIG])
{
	unsigned char raw[crypto_sign_BYTES];
	char *text = proof_canonical(fields);
	if (!text)
		return CAS_EINVAL;
	crypto_sign_detached(raw, NULL, (const unsigned char *)text, strlen(text), k->sk);
	free(text);
	sodium_bin2base64(sig, PROOF_B64_SIG, raw, sizeof(raw), B64_VARIANT);
	return 0;
}

int proof_check(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const json_t *fields,
                const char *sig_b64)
{
	unsigned char raw[crypto_sign_BYTES];
	if (!sig_b64 || b64_decode(sig_b64, strlen(sig_b64), raw, sizeof(raw)) != 0)
		return CAS_EINVAL;
	char *text = proof_canonical(fields);
	if (!text)
		return CAS_EINVAL;
	int ok = crypto_sign_verify_detached(raw, (const unsigned char *)text, strlen(text), pk);
	free(text);
	return ok == 0 ? 0 : CAS_EAUTH;
}

/* --- documents --- */

json_t *proof_document(const json_t *fields, const json_t *parameters, const json_t *minimised,
                       const char *pk_b64, const char *sig_b64, const json_t *info)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char key_id[PROOF_KEY_ID] = "";
	if (b64_decode(pk_b64, strlen(pk_b64), pk, sizeof(pk)) == 0)
		proof_key_id(pk, key_id);
	json_t *doc =
	    json_pack("{s:s, s:i, s:O, s:s, s:s, s:s, s:s}", "type", "cassis-preuve-consultation",
	              "version", 1, "champs", fields, "algorithme", "Ed25519", "cle_publique",
	              pk_b64, "identifiant_cle", key_id, "signature", sig_b64);
	json_object_set_new(doc, "parametres",
	                    parameters ? json_deep_copy(parameters) : json_null());
	json_object_set_new(doc, "reponse_minimisee",
	                    minimised ? json_deep_copy(minimised) : json_null());
	if (info)
		json_object_set_new(doc, "informations", json_deep_copy(info));
	return doc;
}

/* The document's digests match its contents: 0 or CAS_EAUTH with *why. */
static int check_digests(const json_t *doc, const json_t *fields, const char **why)
{
	char d[65];
	proof_json_sha256(json_object_get(doc, "parametres"), d);
	if (strcmp(d, json_string_value(json_object_get(fields, "parameters_sha256"))) != 0) {
		*why = "les paramètres d'appel ne correspondent pas à leur empreinte signée : "
		       "le document a été modifié.";
		return CAS_EAUTH;
	}
	proof_json_sha256(json_object_get(doc, "reponse_minimisee"), d);
	if (strcmp(d, json_string_value(json_object_get(fields, "minimised_sha256"))) != 0) {
		*why = "la réponse conservée ne correspond pas à son empreinte signée : le "
		       "document a été modifié.";
		return CAS_EAUTH;
	}
	return 0;
}

/* The document's public key into pk: 0 or CAS_EINVAL with *why. */
static int doc_key(const json_t *doc, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                   const char **why)
{
	const char *b64 = json_string_value(json_object_get(doc, "cle_publique"));
	if (!b64 || b64_decode(b64, strlen(b64), pk, crypto_sign_PUBLICKEYBYTES) != 0) {
		*why = "la clé publique du document est illisible.";
		return CAS_EINVAL;
	}
	return 0;
}

int proof_verify(const json_t *doc, const unsigned char *pk, const char **why)
{
	unsigned char dpk[crypto_sign_PUBLICKEYBYTES];
	const char *dummy;
	why = why ? why : &dummy;
	const json_t *fields = json_object_get(doc, "champs");
	const char *type = json_string_value(json_object_get(doc, "type"));
	if (!json_is_object(doc) || !type || strcmp(type, "cassis-preuve-consultation") != 0 ||
	    !json_is_object(fields)) {
		*why = "ce fichier n'est pas une preuve de consultation de Cassis.";
		return CAS_EINVAL;
	}
	for (const char *const *f = proof_fields; *f; f++)
		if (!json_is_string(json_object_get(fields, *f))) {
			*why = "un champ signé manque ou n'est pas du texte : le document a été "
			       "modifié.";
			return CAS_EAUTH;
		}
	if (doc_key(doc, dpk, why) != 0)
		return CAS_EINVAL;
	if (pk && sodium_memcmp(pk, dpk, sizeof(dpk)) != 0) {
		*why = "le document n'est pas signé par la clé publique indiquée.";
		return CAS_EAUTH;
	}
	int rc = check_digests(doc, fields, why);
	if (rc != 0)
		return rc;
	rc = proof_check(dpk, fields, json_string_value(json_object_get(doc, "signature")));
	if (rc == CAS_EINVAL)
		*why = "la signature est illisible.";
	else if (rc != 0)
		*why = "la signature ne correspond pas aux champs : le document a été modifié "
		       "ou n'a pas été signé par cette clé.";
	return rc == 0 ? 0 : CAS_EAUTH;
}
