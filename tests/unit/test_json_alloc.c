#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "base/arena.h"
#include "base/json_alloc.h"

/* Values made while an arena is current come from it: the arena grows, and
 * dropping them frees nothing but stays valid. */
static void arena_values(void **state)
{
	struct arena *a = arena_new();
	size_t before = arena_used(a);
	json_alloc_use_arena(a);
	json_t *o = json_pack("{s:s, s:i, s:[i,i]}", "nom", "Lefèvre", "n", 3, "l", 1, 2);
	json_alloc_use_arena(NULL);
	assert_true(arena_used(a) > before);
	assert_string_equal(json_string_value(json_object_get(o, "nom")), "Lefèvre");
	json_decref(o);
	arena_free(a);
}

/* Values made outside an arena are heap blocks, freed normally (ASan checks
 * the pairing), and may be mixed with arena values in one object. */
static void heap_values_and_text(void **state)
{
	json_t *heap = json_string("tas");
	struct arena *a = arena_new();
	json_alloc_use_arena(a);
	json_t *o = json_object();
	json_object_set(o, "v", heap);
	char *text = json_dumps(o, JSON_COMPACT);
	json_alloc_use_arena(NULL);
	assert_string_equal(text, "{\"v\":\"tas\"}");
	json_free_text(text);
	json_decref(o);
	arena_free(a);
	char *heap_text = json_dumps(heap, JSON_ENCODE_ANY);
	assert_string_equal(heap_text, "\"tas\"");
	json_free_text(heap_text);
	json_decref(heap);
}

int main(void)
{
	json_alloc_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arena_values),
	    cmocka_unit_test(heap_values_and_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
