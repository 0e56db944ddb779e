/* Sealing and opening values under the process-wide key ring (see seal.h). */
#include "base/seal.h"

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"

#define B64_VARIANT  sodium_base64_VARIANT_ORIGINAL_NO_PADDING
#define VALUE_MAX    ((size_t)1 << 30) /* 1 GiB: far beyond any upload limit */
#define RELOAD_EVERY 1000              /* ms between two looks at the file */

static struct {
	pthread_mutex_t mu;
	struct seal_ring ring;
	int loaded;
	char path[PATH_MAX]; /* "" when the ring did not come from a file */
	struct stat st;      /* of the file when read */
	int64_t checked_ms;
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* --- the ring --- */

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Under g.mu: reads the file again when it changed (force: whatever the
 * time of the last look). A failed read keeps the ring in use. */
static void maybe_reload(int force)
{
	struct stat st;
	struct seal_ring fresh;
	int64_t now = clock_real_ms();
	if (!g.path[0] || (!force && now - g.checked_ms < RELOAD_EVERY))
		return;
	g.checked_ms = now;
	if (stat(g.path, &st) != 0 || same_file(&st, &g.st))
		return;
	int rc = seal_ring_read(g.path, &fresh);
	if (rc != 0) {
		log_msg(LOG_WARN,
		        "data key ring %s changed but cannot be read (%s); keeping keys %s", g.path,
		        cas_err_name(rc), g.ring.keys[0].id_hex);
		return;
	}
	seal_ring_wipe(&g.ring);
	g.ring = fresh;
	g.st = st;
	seal_ring_wipe(&fresh);
	log_msg(LOG_INFO, "data key ring %s read again: sealing key %s, %d key(s)", g.path,
	        g.ring.keys[0].id_hex, g.ring.n);
}

int seal_load(const char *path)
{
	struct seal_ring ring;
	struct stat st;
	if (strlen(path) >= sizeof(g.path))
		return CAS_EIO;
	int rc = stat(path, &st) == 0 ? seal_ring_read(path, &ring) : CAS_ENOTFOUND;
	if (rc != 0)
		return rc;
	pthread_mutex_lock(&g.mu);
	seal_ring_wipe(&g.ring);
	g.ring = ring;
	g.loaded = 1;
	g.st = st;
	g.checked_ms = clock_real_ms();
	snprintf(g.path, sizeof(g.path), "%s", path);
	pthread_mutex_unlock(&g.mu);
	seal_ring_wipe(&ring);
	return 0;
}

void seal_set_ring(const struct seal_ring *ring)
{
	pthread_mutex_lock(&g.mu);
	seal_ring_wipe(&g.ring);
	g.ring = *ring;
	g.loaded = ring->n > 0;
	g.path[0] = '\0';
	pthread_mutex_unlock(&g.mu);
}

void seal_unload(void)
{
	pthread_mutex_lock(&g.mu);
	seal_ring_wipe(&g.ring);
	g.loaded = 0;
	g.path[0] = '\0';
	pthread_mutex_unlock(&g.mu);
}

int seal_ready(void)
{
	pthread_mutex_lock(&g.mu);
	int r = g.loaded;
	pthread_mutex_unlock(&g.mu);
	return r;
}

int seal_ring_get(struct seal_ring *out)
{
	pthread_mutex_lock(&g.mu);
	maybe_reload(0);
	int rc = g.loaded ? 0 : CAS_EIO;
	*out = g.ring;
	pthread_mutex_unlock(&g.mu);
	return rc;
}

int seal_current_id(char id_hex[SEAL_ID_HEX])
{
	struct seal_ring r;
	int rc = seal_ring_get(&r);
	if (rc == 0)
		memcpy(id_hex, r.keys[0].id_hex, SEAL_ID_HEX);
	seal_ring_wipe(&r);
	return rc;
}

/* A copy of the sealing key (id NULL) or of the key named id (a second
 * look at the file when it is missing). 0, CAS_EIO, CAS_ENOTFOUND. */
static int key_for(const unsigned char *id, struct seal_key *out)
{
	pthread_mutex_lock(&g.mu);
	int rc = CAS_EIO;
	for (int pass = 0; g.loaded && pass < 2 && rc != 0; pass++) {
		maybe_reload(pass);
		rc = CAS_ENOTFOUND;
		for (int i = 0; i < g.ring.n && rc != 0; i++) {
			if (id && memcmp(g.ring.keys[i].id, id, SEAL_ID_BYTES) != 0)
				continue;
			*out = g.ring.keys[i];
			rc = 0;
		}
	}
	pthread_mutex_unlock(&g.mu);
	return rc;
}

/* --- values --- */

void seal_ad(char out[SEAL_AD_MAX], const char *table, const char *column, int64_t id)
{
	snprintf(out, SEAL_AD_MAX, "%s.%s:%" PRId64, table, column, id);
}

/* header || place */
static unsigned char *full_ad(const unsigned char *header, const char *ad, size_t *len)
{
	size_t n = strlen(ad);
	unsigned char *a = xmalloc(SEAL_HEADER + n);
	memcpy(a, header, SEAL_HEADER);
	memcpy(a + SEAL_HEADER, ad, n);
	*len = SEAL_HEADER + n;
	return a;
}

int seal_bytes(const void *p, size_t n, const char *ad, unsigned char **out, size_t *outlen)
{
	struct seal_key k;
	size_t alen;
	if (n > VALUE_MAX)
		return CAS_ETOOBIG;
	int rc = key_for(NULL, &k);
	if (rc != 0)
		return rc;
	unsigned char *o = xmalloc(n + SEAL_OVERHEAD);
	o[0] = SEAL_VERSION;
	memcpy(o + 1, k.id, SEAL_ID_BYTES);
	randombytes_buf(o + SEAL_HEADER, SEAL_NONCE_BYTES);
	unsigned char *a = full_ad(o, ad, &alen);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(o + SEAL_HEADER + SEAL_NONCE_BYTES, &clen, p, n,
	                                           a, alen, NULL, o + SEAL_HEADER, k.key);
	sodium_memzero(&k, sizeof(k));
	free(a);
	*out = o;
	*outlen = SEAL_HEADER + SEAL_NONCE_BYTES + (size_t)clen;
	return 0;
}

int seal_is_sealed(const void *p, size_t n)
{
	return p && n >= SEAL_OVERHEAD && ((const unsigned char *)p)[0] == SEAL_VERSION;
}

static void id_hex_of(const unsigned char *id, char out[SEAL_ID_HEX])
{
	snprintf(out, SEAL_ID_HEX, "%02x%02x%02x%02x", id[0], id[1], id[2], id[3]);
}

int seal_key_id(const void *p, size_t n, char id_hex[SEAL_ID_HEX])
{
	if (!seal_is_sealed(p, n))
		return CAS_EINVAL;
	id_hex_of((const unsigned char *)p + 1, id_hex);
	return 0;
}

int seal_open_bytes(const void *p, size_t n, const char *ad, unsigned char **out, size_t *outlen)
{
	const unsigned char *s = p;
	struct seal_key k;
	size_t alen;
	if (!seal_is_sealed(p, n))
		return CAS_EINVAL;
	int rc = key_for(s + 1, &k);
	if (rc != 0)
		return rc;
	size_t clen = n - SEAL_HEADER - SEAL_NONCE_BYTES;
	unsigned char *o = xmalloc(clen - SEAL_TAG_BYTES + 1);
	unsigned char *a = full_ad(s, ad, &alen);
	unsigned long long mlen = 0;
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(o, &mlen, NULL,
	                                                s + SEAL_HEADER + SEAL_NONCE_BYTES, clen, a,
	                                                alen, s + SEAL_HEADER, k.key);
	sodium_memzero(&k, sizeof(k));
	free(a);
	if (rc != 0) {
		free(o);
		return CAS_EAUTH;
	}
	o[mlen] = '\0';
	*out = o;
	*outlen = (size_t)mlen;
	return 0;
}

/* --- text form --- */

int seal_is_sealed_text(const char *s)
{
	size_t plen = strlen(SEAL_TEXT_PREFIX);
	/* base64 of at least SEAL_OVERHEAD bytes, whose first byte is 1 ('A') */
	return s && strncmp(s, SEAL_TEXT_PREFIX, plen) == 0 && s[plen] == 'A' &&
	       strlen(s + plen) >= (SEAL_OVERHEAD * 4 + 2) / 3;
}

/* The binary form of a sealed text: *out (caller frees). */
static int text_decode(const char *s, unsigned char **out, size_t *len)
{
	if (!seal_is_sealed_text(s))
		return CAS_EINVAL;
	const char *b64 = s + strlen(SEAL_TEXT_PREFIX);
	size_t blen = strlen(b64), cap = blen / 4 * 3 + 3;
	if (blen / 4 * 3 > VALUE_MAX + SEAL_OVERHEAD)
		return CAS_ETOOBIG;
	unsigned char *b = xmalloc(cap);
	if (sodium_base642bin(b, cap, b64, blen, NULL, len, NULL, B64_VARIANT) != 0 ||
	    !seal_is_sealed(b, *len)) {
		free(b);
		return CAS_EINVAL;
	}
	*out = b;
	return 0;
}

int seal_text_key_id(const char *s, char id_hex[SEAL_ID_HEX])
{
	unsigned char *b = NULL;
	size_t n;
	int rc = text_decode(s, &b, &n);
	if (rc == 0)
		rc = seal_key_id(b, n, id_hex);
	free(b);
	return rc == 0 ? 0 : CAS_EINVAL;
}

int seal_text(const char *plain, const char *ad, char **out)
{
	unsigned char *b;
	size_t n;
	int rc = seal_bytes(plain, strlen(plain), ad, &b, &n);
	if (rc != 0)
		return rc;
	size_t plen = strlen(SEAL_TEXT_PREFIX);
	size_t cap = sodium_base64_ENCODED_LEN(n, B64_VARIANT);
	char *s = xmalloc(plen + cap);
	memcpy(s, SEAL_TEXT_PREFIX, plen);
	sodium_bin2base64(s + plen, cap, b, n, B64_VARIANT);
	free(b);
	*out = s;
	return 0;
}

int seal_open_text(const char *stored, const char *ad, char **out)
{
	unsigned char *b, *plain;
	size_t n, plen;
	int rc = text_decode(stored, &b, &n);
	if (rc != 0)
		return rc;
	rc = seal_open_bytes(b, n, ad, &plain, &plen);
	free(b);
	if (rc != 0)
		return rc;
	if (memchr(plain, '\0', plen)) {
		sodium_memzero(plain, plen);
		free(plain);
		return CAS_EINVAL;
	}
	*out = (char *)plain;
	return 0;
}

const char *seal_strerror(int rc)
{
	switch (rc) {
	case 0: return "aucune erreur";
	case CAS_EIO: return "aucune clé de chiffrement des données n'est chargée";
	case CAS_ENOTFOUND:
		return "la clé qui a chiffré cette donnée n'est pas dans le trousseau des clés "
		       "de chiffrement";
	case CAS_EAUTH:
		return "la donnée chiffrée ne s'authentifie pas : mauvaise clé, donnée altérée ou "
		       "déplacée d'une autre ligne";
	case CAS_EINVAL:
		return "ce n'est pas une donnée chiffrée par Cassis (format ou version inconnus)";
	case CAS_ETOOBIG: return "donnée trop volumineuse pour être chiffrée";
	default: return "erreur de chiffrement";
	}
}
