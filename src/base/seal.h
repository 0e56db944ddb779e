/* Encryption at rest of personal data (IBAN, State API response bodies,
 * confidential notes, uploaded documents): XChaCha20-Poly1305 (libsodium
 * crypto_aead_xchacha20poly1305_ietf) under a 256-bit data key.
 *
 * Sealed value, version 1 (binary form, SEAL_OVERHEAD bytes more than the
 * plain value):
 *   byte  0       version (1)
 *   bytes 1..4    key id (below)
 *   bytes 5..28   nonce (24 random bytes)
 *   bytes 29..    ciphertext, then the 16-byte Poly1305 tag
 * The associated data is the 5 header bytes followed by the place of the
 * value, "<table>.<column>:<row id>" (seal_ad): a value copied to another
 * row, column or table, or whose header was changed, does not open.
 * Text form (TEXT columns): SEAL_TEXT_PREFIX then the binary form in
 * base64 (original alphabet, no padding). A text without the prefix is a
 * value written in clear before encryption existed; the stores read it as
 * it is, and `cassis keys rotate` seals it.
 *
 * Key id: the first 4 bytes of BLAKE2b keyed with the key over the string
 * "cassis-data-key-id", shown as 8 lowercase hex digits. It names a key
 * without revealing it; two different keys practically never share one.
 *
 * Key ring file (text, mode 0600): lines starting with '#' are comments;
 * each line "cassis-data-key:<base64 of the 32 bytes>" is a key. The first
 * key seals; the others only open values sealed before a rotation.
 *
 * The process-wide ring (seal_load / seal_set_ring) is what the stores
 * use. When it comes from a file, the file is checked for changes at most
 * once a second (and at once when a value names a key the ring lacks) and
 * read again when it changed: `cassis keys rotate` puts a new key first in
 * the file and every running server follows without a restart.
 *
 * Returned statuses: CAS_EIO no ring loaded (or unreadable file),
 * CAS_ENOTFOUND the value's key is not in the ring, CAS_EAUTH the value
 * does not authenticate (wrong key bytes, altered, or moved), CAS_EINVAL
 * not a sealed value (or an unknown version), CAS_ETOOBIG too large.
 * seal_strerror gives the French explanation. crypto_init() first. */
#ifndef CAS_SEAL_H
#define CAS_SEAL_H
#include <stddef.h>
#include <stdint.h>

#define SEAL_VERSION     1
#define SEAL_KEY_BYTES   32
#define SEAL_ID_BYTES    4
#define SEAL_ID_HEX      9 /* 8 hex digits + NUL */
#define SEAL_NONCE_BYTES 24
#define SEAL_TAG_BYTES   16
#define SEAL_HEADER      (1 + SEAL_ID_BYTES)
#define SEAL_OVERHEAD    (SEAL_HEADER + SEAL_NONCE_BYTES + SEAL_TAG_BYTES)
#define SEAL_RING_MAX    16
#define SEAL_AD_MAX      160
#define SEAL_TEXT_PREFIX "sealed:"
#define SEAL_KEY_PREFIX  "cassis-data-key:"

struct seal_key {
	unsigned char key[SEAL_KEY_BYTES];
	unsigned char id[SEAL_ID_BYTES];
	char id_hex[SEAL_ID_HEX];
};

/* keys[0] seals; every key opens. */
struct seal_ring {
	int n;
	struct seal_key keys[SEAL_RING_MAX];
};

/* --- keys and key ring files (seal_keys.c) --- */

/* A fresh random key with its id. */
void seal_key_generate(struct seal_key *k);
/* Computes k->id and k->id_hex from k->key. */
void seal_key_finish(struct seal_key *k);
/* Index of the key with this hex id in ring, or -1. */
int seal_ring_find(const struct seal_ring *ring, const char *id_hex);
/* Adds k (first: in front, as the sealing key; else at the end); a key
 * already there is moved, not doubled. 0, or CAS_ETOOBIG when full. */
int seal_ring_add(struct seal_ring *ring, const struct seal_key *k, int first);
/* Removes the key with this id; 0 or CAS_ENOTFOUND. */
int seal_ring_remove(struct seal_ring *ring, const char *id_hex);
void seal_ring_wipe(struct seal_ring *ring);

/* Reads a key ring file. 0; CAS_ENOTFOUND no such file; CAS_EIO
 * unreadable; CAS_EINVAL no key in it, a malformed key line or more than
 * SEAL_RING_MAX keys. */
int seal_ring_read(const char *path, struct seal_ring *ring);
/* Writes ring to path with mode 0600, replacing it atomically (temporary
 * file, fsync, rename). 0 or CAS_EIO. */
int seal_ring_write(const char *path, const struct seal_ring *ring);
/* Creates path (it must not exist) holding one fresh key, mode 0600, into
 * ring. 0, CAS_ECONFLICT when the file exists, CAS_EIO. */
int seal_ring_create(const char *path, struct seal_ring *ring);

/* --- the process-wide ring (seal.c) --- */

/* Loads the ring from path and follows later changes of the file.
 * Statuses as seal_ring_read; the ring in use is kept on failure. */
int seal_load(const char *path);
/* Uses a copy of ring (no file to follow): tests, `cassis keys rotate`. */
void seal_set_ring(const struct seal_ring *ring);
/* Forgets the ring (keys wiped). */
void seal_unload(void);
/* 1 when a ring is loaded. */
int seal_ready(void);
/* A copy of the ring in use (after a reload check). 0 or CAS_EIO. */
int seal_ring_get(struct seal_ring *out);
/* The id of the sealing key: 0, or CAS_EIO when no ring is loaded. */
int seal_current_id(char id_hex[SEAL_ID_HEX]);

/* --- values (seal.c) --- */

/* The associated data of a value: "table.column:id". */
void seal_ad(char out[SEAL_AD_MAX], const char *table, const char *column, int64_t id);

/* Seals n bytes at p for the place ad with the ring's first key: *out
 * (caller frees) holds *outlen = n + SEAL_OVERHEAD bytes. */
int seal_bytes(const void *p, size_t n, const char *ad, unsigned char **out, size_t *outlen);
/* Opens a binary sealed value: *out (caller frees; one NUL byte more, not
 * counted in *outlen). */
int seal_open_bytes(const void *p, size_t n, const char *ad, unsigned char **out, size_t *outlen);
/* Text form: *out a new NUL-terminated string (caller frees). */
int seal_text(const char *plain, const char *ad, char **out);
/* Opens the text form: *out the plain text (caller frees). A plain text
 * holding a NUL byte is refused (CAS_EINVAL). */
int seal_open_text(const char *stored, const char *ad, char **out);

/* 1 when p / s has the shape of a sealed value (version 1), else 0. */
int seal_is_sealed(const void *p, size_t n);
int seal_is_sealed_text(const char *s);
/* The key id a sealed value names: 0, or CAS_EINVAL when it is not one. */
int seal_key_id(const void *p, size_t n, char id_hex[SEAL_ID_HEX]);
int seal_text_key_id(const char *s, char id_hex[SEAL_ID_HEX]);

/* French explanation of a status above (static string). */
const char *seal_strerror(int rc);

#endif
