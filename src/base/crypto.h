/* Password hashing, tokens and digests over libsodium. crypto_init() must
 * have succeeded before any other function here is called. */
#ifndef CAS_CRYPTO_H
#define CAS_CRYPTO_H
#include <stddef.h>

#include <sodium.h>

#define PASSWORD_HASH_SIZE crypto_pwhash_STRBYTES /* includes the NUL */
#define RANDOM_TOKEN_SIZE  44                     /* 43 characters + NUL */

/* Initialises libsodium; safe to call more than once. 0 or CAS_EIO. */
int crypto_init(void);

/* argon2id with the "interactive" limits (ops 2, 64 MiB): the encoded
 * string, salt and parameters included, NUL-terminated into out.
 * 0, or CAS_ENOMEM when the hash memory could not be obtained. */
int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE]);

/* 0 when pw matches hash, CAS_EAUTH otherwise (also for a malformed or
 * NULL hash, or a NULL pw). */
int password_verify(const char *hash, const char *pw);

/* 1 when hash was made with other limits than the current ones and should
 * be replaced at the next successful login. */
int password_needs_rehash(const char *hash);

/* 32 random bytes (256 bits) as base64url without padding: 43 characters
 * and a NUL. outsz must be at least RANDOM_TOKEN_SIZE (aborts otherwise). */
void random_token(char *out, size_t outsz);

/* A fresh random UUID version 4, lowercase, NUL-terminated
 * ("f47ac10b-58cc-4372-a567-0e02b2c3d479"). */
void uuid_v4(char out[37]);
/* Lowercase hexadecimal SHA-256 of n bytes at p, NUL-terminated. */
void sha256_hex(const void *p, size_t n, char out[65]);

/* 1 when the strings are equal, 0 otherwise; the time taken does not
 * depend on their content or on where they differ (nor on their lengths
 * beyond the cost of hashing them). NULL never equals anything. */
int ct_streq(const char *a, const char *b);

#endif
