#include "base/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define TOKEN_BYTES 32

_Static_assert(RANDOM_TOKEN_SIZE ==
                   sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "token size");

int crypto_init(void)
{
	return sodium_init() < 0 ? CAS_EIO : 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_SIZE])
{
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return CAS_ENOMEM;
	return 0;
}

int password_verify(const char *hash, const char *pw)
{
	if (!hash || !pw)
		return CAS_EAUTH;
	if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0)
		return CAS_EAUTH;
	return 0;
}

int password_needs_rehash(const char *hash)
{
	if (!hash)
		return 1;
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

void random_token(char *out, size_t outsz)
{
	unsigned char raw[TOKEN_BYTES];
	if (outsz < RANDOM_TOKEN_SIZE) {
		fprintf(stderr, "cassis: random_token buffer too small (%zu)\n", outsz);
		abort();
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outsz, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void uuid_v4(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int ct_streq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	unsigned char ha[crypto_hash_sha256_BYTES], hb[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(ha, (const unsigned char *)a, strlen(a));
	crypto_hash_sha256(hb, (const unsigned char *)b, strlen(b));
	return sodium_memcmp(ha, hb, sizeof(ha)) == 0;
}
