#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"

static FILE *capture;

static int setup(void **state)
{
	capture = tmpfile();
	log_set_stream(capture);
	log_set_level(LOG_DEBUG);
	return capture ? 0 : -1;
}

static int teardown(void **state)
{
	log_set_stream(NULL);
	log_set_level(LOG_INFO);
	fclose(capture);
	return 0;
}

/* The lines written since the last call, as a JSON array of objects. */
static json_t *read_lines(void)
{
	json_t *lines = json_array();
	char line[8192];
	fflush(capture);
	rewind(capture);
	while (fgets(line, sizeof(line), capture)) {
		assert_int_equal(line[strlen(line) - 1], '\n');
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);
		if (!j)
			fail_msg("not JSON: %s (%s)", line, e.text);
		json_array_append_new(lines, j);
	}
	rewind(capture);
	assert_int_equal(ftruncate(fileno(capture), 0), 0);
	return lines;
}

static const char *field(json_t *lines, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(lines, i), key));
}

static void event_shape(void **state)
{
	log_event(LOG_INFO, "dossier opened", json_pack("{s:i, s:s}", "dossier", 42, "by", "u7"));
	json_t *l = read_lines();
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(field(l, 0, "level"), "info");
	assert_string_equal(field(l, 0, "msg"), "dossier opened");
	assert_string_equal(field(l, 0, "by"), "u7");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(l, 0), "dossier")), 42);
	const char *t = field(l, 0, "time");
	assert_non_null(t);
	/* 2024-05-31T09:30:00.123Z */
	assert_int_equal(strlen(t), 24);
	assert_true(t[4] == '-' && t[10] == 'T' && t[19] == '.' && t[23] == 'Z');
	json_decref(l);
}

static void reserved_fields_kept(void **state)
{
	log_event(
	    LOG_WARN, "real",
	    json_pack("{s:s, s:s, s:s, s:s}", "time", "x", "level", "y", "msg", "z", "other", "w"));
	log_event(LOG_ERROR, NULL, NULL);
	log_event(LOG_DEBUG, "not an object", json_string("ignored"));
	json_t *l = read_lines();
	assert_int_equal(json_array_size(l), 3);
	assert_string_equal(field(l, 0, "msg"), "real");
	assert_string_equal(field(l, 0, "level"), "warn");
	assert_string_not_equal(field(l, 0, "time"), "x");
	assert_string_equal(field(l, 0, "other"), "w");
	assert_string_equal(field(l, 1, "msg"), "");
	assert_string_equal(field(l, 1, "level"), "error");
	assert_string_equal(field(l, 2, "level"), "debug");
	json_decref(l);
}

static void minimum_level(void **state)
{
	log_set_level(LOG_WARN);
	assert_int_equal(log_get_level(), LOG_WARN);
	log_msg(LOG_DEBUG, "d");
	log_msg(LOG_INFO, "i");
	log_event(LOG_INFO, "dropped", json_pack("{s:i}", "n", 1)); /* released, no leak */
	log_msg(LOG_WARN, "w%d", 1);
	log_msg(LOG_ERROR, "e");
	json_t *l = read_lines();
	assert_int_equal(json_array_size(l), 2);
	assert_string_equal(field(l, 0, "msg"), "w1");
	assert_string_equal(field(l, 1, "msg"), "e");
	json_decref(l);
	log_set_level(LOG_DEBUG);
}

static void hostile_messages(void **state)
{
	log_msg(LOG_INFO, "line1\nline2\t\"quoted\" \\ }");
	log_msg(LOG_INFO, "bad \xff\xfe utf8 \xc3\xa9 ok \x01");
	char big[3000];
	memset(big, 'a', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\xc3\xa9", 3);
	log_msg(LOG_INFO, "%s", big);
	json_t *l = read_lines();
	assert_int_equal(json_array_size(l), 3);
	assert_string_equal(field(l, 0, "msg"), "line1\nline2\t\"quoted\" \\ }");
	assert_string_equal(field(l, 1, "msg"), "bad ?? utf8 \xc3\xa9 ok ?");
	assert_true(strlen(field(l, 2, "msg")) < 1024);
	json_decref(l);
}

static void levels(void **state)
{
	enum log_level lvl;
	assert_string_equal(log_level_name(LOG_DEBUG), "debug");
	assert_string_equal(log_level_name(LOG_ERROR), "error");
	assert_int_equal(log_level_parse("warn", &lvl), 0);
	assert_int_equal(lvl, LOG_WARN);
	assert_int_equal(log_level_parse("warning", &lvl), 0);
	assert_int_equal(lvl, LOG_WARN);
	assert_int_equal(log_level_parse("info", &lvl), 0);
	assert_int_equal(lvl, LOG_INFO);
	assert_int_equal(log_level_parse("loud", &lvl), CAS_EINVAL);
}

static void *writer(void *arg)
{
	for (int i = 0; i < 300; i++)
		log_event(
		    LOG_INFO, "concurrent",
		    json_pack("{s:i, s:i, s:s}", "thread", (int)(intptr_t)arg, "i", i, "pad",
		              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
	return NULL;
}

static void threads_do_not_interleave(void **state)
{
	pthread_t th[4];
	for (intptr_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, writer, (void *)i), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	json_t *l = read_lines(); /* fails on any garbled line */
	assert_int_equal(json_array_size(l), 1200);
	json_decref(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(event_shape),   cmocka_unit_test(reserved_fields_kept),
	    cmocka_unit_test(minimum_level), cmocka_unit_test(hostile_messages),
	    cmocka_unit_test(levels),        cmocka_unit_test(threads_do_not_interleave),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
