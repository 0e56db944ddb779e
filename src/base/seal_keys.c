/* Data keys and key ring files (see seal.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/seal.h"

#define ID_CONTEXT    "cassis-data-key-id"
#define B64_VARIANT   sodium_base64_VARIANT_ORIGINAL
#define KEY_B64       sodium_base64_ENCODED_LEN(SEAL_KEY_BYTES, B64_VARIANT)
#define RING_FILE_MAX 16384

void seal_key_finish(struct seal_key *k)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)ID_CONTEXT, strlen(ID_CONTEXT),
	                   k->key, sizeof(k->key));
	memcpy(k->id, h, SEAL_ID_BYTES);
	for (int i = 0; i < SEAL_ID_BYTES; i++) {
		k->id_hex[2 * i] = hex[k->id[i] >> 4];
		k->id_hex[2 * i + 1] = hex[k->id[i] & 15];
	}
	k->id_hex[2 * SEAL_ID_BYTES] = '\0';
}

void seal_key_generate(struct seal_key *k)
{
	crypto_aead_xchacha20poly1305_ietf_keygen(k->key);
	seal_key_finish(k);
}

int seal_ring_find(const struct seal_ring *ring, const char *id_hex)
{
	for (int i = 0; i < ring->n; i++)
		if (strcmp(ring->keys[i].id_hex, id_hex) == 0)
			return i;
	return -1;
}

int seal_ring_remove(struct seal_ring *ring, const char *id_hex)
{
	int i = seal_ring_find(ring, id_hex);
	if (i < 0)
		return CAS_ENOTFOUND;
	memmove(&ring->keys[i], &ring->keys[i + 1],
	        (size_t)(ring->n - i - 1) * sizeof(ring->keys[0]));
	ring->n--;
	sodium_memzero(&ring->keys[ring->n], sizeof(ring->keys[0]));
	return 0;
}

int seal_ring_add(struct seal_ring *ring, const struct seal_key *k, int first)
{
	struct seal_key copy = *k;
	seal_ring_remove(ring, copy.id_hex);
	if (ring->n >= SEAL_RING_MAX) {
		sodium_memzero(&copy, sizeof(copy));
		return CAS_ETOOBIG;
	}
	if (first) {
		memmove(&ring->keys[1], &ring->keys[0], (size_t)ring->n * sizeof(ring->keys[0]));
		ring->keys[0] = copy;
	} else {
		ring->keys[ring->n] = copy;
	}
	ring->n++;
	sodium_memzero(&copy, sizeof(copy));
	return 0;
}

void seal_ring_wipe(struct seal_ring *ring)
{
	sodium_memzero(ring, sizeof(*ring));
}

/* One key line ("cassis-data-key:<base64>", blanks at the end removed)
 * into ring. 0 or CAS_EINVAL. */
static int parse_key_line(const char *line, struct seal_ring *ring)
{
	struct seal_key k;
	size_t plen = strlen(SEAL_KEY_PREFIX), n = 0;
	if (strncmp(line, SEAL_KEY_PREFIX, plen) != 0)
		return CAS_EINVAL;
	const char *b64 = line + plen;
	if (sodium_base642bin(k.key, sizeof(k.key), b64, strlen(b64), " \t", &n, NULL,
	                      B64_VARIANT) != 0 ||
	    n != sizeof(k.key)) {
		sodium_memzero(&k, sizeof(k));
		return CAS_EINVAL;
	}
	seal_key_finish(&k);
	int rc = seal_ring_find(ring, k.id_hex) >= 0 ? 0 : seal_ring_add(ring, &k, 0);
	sodium_memzero(&k, sizeof(k));
	return rc == 0 ? 0 : CAS_EINVAL;
}

int seal_ring_read(const char *path, struct seal_ring *ring)
{
	char line[256];
	memset(ring, 0, sizeof(*ring));
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? CAS_ENOTFOUND : CAS_EIO;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (n > 0 && line[0] != '#')
			rc = parse_key_line(line, ring);
	}
	if (rc == 0 && ferror(f))
		rc = CAS_EIO;
	fclose(f);
	sodium_memzero(line, sizeof(line));
	if (rc == 0 && ring->n == 0)
		rc = CAS_EINVAL;
	if (rc != 0)
		seal_ring_wipe(ring);
	return rc;
}

/* The text of a ring file. */
static void ring_text(const struct seal_ring *ring, struct buf *text)
{
	char b64[KEY_B64];
	buf_printf(text, "# Trousseau des clés de chiffrement des données de Cassis "
	                 "(XChaCha20-Poly1305).\n"
	                 "# La première clé chiffre ; les suivantes ne servent qu'à relire les "
	                 "données\n"
	                 "# chiffrées avant une rotation (cassis keys rotate).\n"
	                 "# Secret : sans ce fichier, les données chiffrées de la base sont "
	                 "illisibles.\n"
	                 "# Sauvegardez-le à part de la base, jamais avec elle.\n");
	for (int i = 0; i < ring->n; i++) {
		sodium_bin2base64(b64, sizeof(b64), ring->keys[i].key, SEAL_KEY_BYTES, B64_VARIANT);
		buf_printf(text, "# clé %s%s\n%s%s\n", ring->keys[i].id_hex,
		           i == 0 ? " (chiffre)" : " (relecture)", SEAL_KEY_PREFIX, b64);
	}
	sodium_memzero(b64, sizeof(b64));
}

/* Writes the ring's text to a new file tmp (mode 0600). 0 or CAS_EIO. */
static int write_tmp(const char *tmp, const struct seal_ring *ring)
{
	struct buf text;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return CAS_EIO;
	buf_init(&text, RING_FILE_MAX);
	ring_text(ring, &text);
	ssize_t w = text.err ? -1 : write(fd, text.data, text.len);
	int ok = w >= 0 && (size_t)w == text.len && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (text.data)
		sodium_memzero(text.data, text.len);
	buf_free(&text);
	if (!ok)
		unlink(tmp);
	return ok ? 0 : CAS_EIO;
}

static void tmp_name(const char *path, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s.%ld.tmp", path, (long)getpid());
}

int seal_ring_write(const char *path, const struct seal_ring *ring)
{
	char tmp[4096];
	tmp_name(path, tmp, sizeof(tmp));
	unlink(tmp);
	int rc = write_tmp(tmp, ring);
	if (rc == 0 && rename(tmp, path) != 0) {
		unlink(tmp);
		rc = CAS_EIO;
	}
	return rc;
}

int seal_ring_create(const char *path, struct seal_ring *ring)
{
	char tmp[4096];
	struct seal_key k;
	memset(ring, 0, sizeof(*ring));
	if (access(path, F_OK) == 0)
		return CAS_ECONFLICT;
	seal_key_generate(&k);
	seal_ring_add(ring, &k, 1);
	sodium_memzero(&k, sizeof(k));
	tmp_name(path, tmp, sizeof(tmp));
	unlink(tmp);
	int rc = write_tmp(tmp, ring);
	/* link, not rename: an existing file (another process) is never replaced */
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? CAS_ECONFLICT : CAS_EIO;
	unlink(tmp);
	if (rc != 0)
		seal_ring_wipe(ring);
	return rc;
}
