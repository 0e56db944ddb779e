#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define LOG_MSG_MAX 1024

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_stream; /* NULL means stderr; guarded by log_lock */
static _Atomic int min_level = LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

const char *log_level_name(enum log_level lvl)
{
	if ((int)lvl < LOG_DEBUG || lvl > LOG_ERROR)
		return "error";
	return level_names[lvl];
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	if (strcmp(s, "warning") == 0) {
		*out = LOG_WARN;
		return 0;
	}
	return CAS_EINVAL;
}

void log_set_level(enum log_level min)
{
	atomic_store(&min_level, (int)min);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&min_level);
}

void log_set_stream(FILE *f)
{
	pthread_mutex_lock(&log_lock);
	log_stream = f;
	pthread_mutex_unlock(&log_lock);
}

static json_t *time_string(void)
{
	char out[40];
	int64_t ms = clock_real_ms();
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	size_t n = strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, sizeof(out) - n, ".%03dZ", (int)(ms % 1000));
	return json_string(out);
}

/* A JSON string of s, bytes that are not valid UTF-8 text replaced by '?'. */
static json_t *safe_string(const char *s)
{
	size_t n = strlen(s);
	size_t ok = utf8_valid_prefix(s, n);
	if (ok == n)
		return json_stringn(s, n);
	char *tmp = xmalloc(n);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		memcpy(tmp + k, s + i, ok);
		k += ok;
		i += ok;
		if (i < n) {
			tmp[k++] = '?';
			i++;
		}
		ok = utf8_valid_prefix(s + i, n - i);
	}
	json_t *j = json_stringn(tmp, k);
	free(tmp);
	return j;
}

/* One write(2) per line on standard error: no lock, and lines from several
 * threads never interleave (each is one call). A stream set for tests goes
 * through stdio under a lock. */
static void write_line(const char *line)
{
	size_t n = strlen(line);
	if (!log_stream) {
		char *buf = xmalloc(n + 1);
		memcpy(buf, line, n);
		buf[n] = '\n';
		ssize_t w = write(STDERR_FILENO, buf, n + 1);
		(void)w; /* nowhere left to report a failed log write */
		free(buf);
		return;
	}
	pthread_mutex_lock(&log_lock);
	fputs(line, log_stream);
	fputc('\n', log_stream);
	fflush(log_stream);
	pthread_mutex_unlock(&log_lock);
}

void log_event(enum log_level lvl, const char *msg, json_t *fields)
{
	if ((int)lvl < atomic_load(&min_level)) {
		json_decref(fields);
		return;
	}
	json_t *ev = json_object();
	json_object_set_new(ev, "time", time_string());
	json_object_set_new(ev, "level", json_string(log_level_name(lvl)));
	json_object_set_new(ev, "msg", safe_string(msg ? msg : ""));
	if (json_is_object(fields))
		json_object_update_missing(ev, fields);
	json_decref(fields);
	char *line = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(ev);
	if (line)
		write_line(line);
	json_free_text(line);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	if ((int)lvl < atomic_load(&min_level))
		return;
	char msg[LOG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_event(lvl, msg, NULL);
}
