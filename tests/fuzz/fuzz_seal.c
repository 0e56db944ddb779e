/* libFuzzer target: opening sealed values (base/seal.h) made of any bytes,
 * in the binary and the text forms, under a fixed key ring. Never a crash,
 * never a value that opens without having been sealed; and the input
 * itself, sealed, opens back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_fixed_ring(void)
{
	static int done;
	struct seal_ring ring = {0};
	struct seal_key k;
	if (done)
		return;
	if (crypto_init() != 0)
		abort();
	memset(k.key, 0x42, sizeof(k.key));
	seal_key_finish(&k);
	seal_ring_add(&ring, &k, 1);
	seal_set_ring(&ring);
	done = 1;
}

static void opens_nothing(const uint8_t *data, size_t size)
{
	unsigned char *out = NULL;
	size_t n;
	char id[SEAL_ID_HEX];
	if (seal_open_bytes(data, size, "t.c:1", &out, &n) == 0)
		abort(); /* forging a tag is out of reach: a fuzzer finding one is a bug */
	if (out)
		abort();
	if (seal_key_id(data, size, id) == 0 && strlen(id) != 8)
		abort();
	char *text = malloc(size + 1), *plain = NULL;
	memcpy(text, data, size);
	text[size] = '\0';
	if (seal_open_text(text, "t.c:1", &plain) == 0 || plain)
		abort();
	seal_is_sealed_text(text);
	seal_text_key_id(text, id);
	free(text);
}

static void round_trip(const uint8_t *data, size_t size)
{
	unsigned char *sealed, *back;
	size_t n, bn;
	if (seal_bytes(data, size, "t.c:2", &sealed, &n) != 0 || n != size + SEAL_OVERHEAD)
		abort();
	if (seal_open_bytes(sealed, n, "t.c:2", &back, &bn) != 0 || bn != size ||
	    (size && memcmp(back, data, size) != 0))
		abort();
	if (seal_open_bytes(sealed, n, "t.c:3", &back, &bn) == 0)
		abort(); /* another place */
	free(sealed);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	use_fixed_ring();
	opens_nothing(data, size);
	round_trip(data, size);
	return 0;
}
