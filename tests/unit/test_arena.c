#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"

static void alloc_is_aligned(void **state)
{
	struct arena *a = arena_new();
	for (size_t n = 0; n < 100; n++) {
		unsigned char *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xAB, n);
	}
	arena_free(a);
}

static void allocations_do_not_overlap(void **state)
{
	struct arena *a = arena_new();
	char *p[300];
	for (int i = 0; i < 300; i++) {
		p[i] = arena_alloc(a, 40);
		memset(p[i], i & 0xFF, 40);
	}
	for (int i = 0; i < 300; i++)
		for (int k = 0; k < 40; k++)
			assert_int_equal((unsigned char)p[i][k], i & 0xFF);
	arena_free(a);
}

static void big_blocks(void **state)
{
	struct arena *a = arena_new();
	char *small1 = arena_strdup(a, "before");
	unsigned char *big = arena_alloc(a, 100000);
	assert_int_equal((uintptr_t)big % 16, 0);
	memset(big, 0x5A, 100000);
	char *small2 = arena_strdup(a, "after");
	unsigned char *big2 = arena_alloc(a, 1 << 20);
	memset(big2, 0x33, 1 << 20);
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_int_equal(big[0], 0x5A);
	assert_int_equal(big[99999], 0x5A);
	assert_true(arena_used(a) >= 100000 + (1 << 20));
	arena_free(a);
}

static void zalloc_zeroes(void **state)
{
	struct arena *a = arena_new();
	unsigned char *p = arena_alloc(a, 64);
	memset(p, 0xFF, 64);
	unsigned char *z = arena_zalloc(a, 5000);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(z[i], 0);
	arena_free(a);
}

static void strings(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(arena_strdup(a, "abc"), "abc");
	assert_string_equal(arena_strdup(a, NULL), "");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
	char long_arg[20000];
	memset(long_arg, 'q', sizeof(long_arg) - 1);
	long_arg[sizeof(long_arg) - 1] = '\0';
	char *s = arena_printf(a, "<%s>", long_arg);
	assert_int_equal(strlen(s), sizeof(long_arg) + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof(long_arg)], '>');
	arena_free(a);
}

static void used_counts(void **state)
{
	struct arena *a = arena_new();
	assert_int_equal(arena_used(a), 0);
	arena_alloc(a, 1);
	assert_int_equal(arena_used(a), 16);
	arena_alloc(a, 17);
	assert_int_equal(arena_used(a), 48);
	arena_free(a);
	arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(alloc_is_aligned), cmocka_unit_test(allocations_do_not_overlap),
	    cmocka_unit_test(big_blocks),       cmocka_unit_test(zalloc_zeroes),
	    cmocka_unit_test(strings),          cmocka_unit_test(used_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
