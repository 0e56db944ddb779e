#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/embedded.h"

/* Generated at build time by scripts/embed.py from tests/unit/data/embed:
 * testdata_files with --name-root, testdir_files with --dir --strip-ext. */
extern const struct embedded_file testdata_files[];
extern const struct embedded_file testdir_files[];

static void expect_bytes(const struct embedded_file *f)
{
	assert_non_null(f);
	assert_int_equal(f->len, 256 + 29);
	for (int i = 0; i < 256; i++)
		assert_int_equal(f->data[i], i);
	assert_memory_equal(f->data + 256, "?\?= ?\?/ \"quoted\" \\ end\r\n\0tail", 29);
	assert_int_equal(f->data[f->len], 0); /* NUL after the data */
}

static void named_by_root(void **state)
{
	assert_int_equal(embedded_count(testdata_files), 2);
	const struct embedded_file *h = embedded_find(testdata_files, "hello.txt");
	assert_non_null(h);
	assert_int_equal(h->len, 14);
	assert_string_equal((const char *)h->data, "Hello, world!\n");
	expect_bytes(embedded_find(testdata_files, "sub/bytes.bin"));
	/* sorted by name */
	assert_string_equal(testdata_files[0].name, "hello.txt");
	assert_string_equal(testdata_files[1].name, "sub/bytes.bin");
	assert_null(testdata_files[2].name);
}

static void directory_without_extensions(void **state)
{
	assert_int_equal(embedded_count(testdir_files), 2);
	assert_non_null(embedded_find(testdir_files, "hello"));
	expect_bytes(embedded_find(testdir_files, "sub/bytes"));
	assert_null(embedded_find(testdir_files, "hello.txt"));
}

static void lookups_that_miss(void **state)
{
	assert_null(embedded_find(testdata_files, "nope"));
	assert_null(embedded_find(testdata_files, "bytes.bin"));
	assert_null(embedded_find(testdata_files, ""));
	assert_null(embedded_find(testdata_files, NULL));
	assert_null(embedded_find(NULL, "hello.txt"));
	assert_int_equal(embedded_count(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(named_by_root),
	    cmocka_unit_test(directory_without_extensions),
	    cmocka_unit_test(lookups_that_miss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
