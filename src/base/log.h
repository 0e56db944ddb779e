/* Structured logs: one JSON object per line, by default on stderr.
 *
 *   {"time":"2024-05-31T09:30:00.123Z","level":"info","msg":"...",...fields}
 *
 * "time" is real UTC time with milliseconds (never the test clock). Lines
 * written by concurrent threads never interleave. Personal data and
 * secrets never go into a log line: pass identifiers, not names. */
#ifndef CAS_LOG_H
#define CAS_LOG_H
#include <stdio.h>

#include <jansson.h>

enum log_level {
	LOG_DEBUG = 0,
	LOG_INFO = 1,
	LOG_WARN = 2,
	LOG_ERROR = 3,
};

/* Writes msg plus the members of fields (an object; stolen: the reference
 * is released here; may be NULL). Members named "time", "level" or "msg"
 * in fields are ignored. Events below the minimum level are dropped. */
void log_event(enum log_level lvl, const char *msg, json_t *fields);

/* Free-text event (printf-style, truncated to about 1 KB). */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void log_set_level(enum log_level min); /* default LOG_INFO */
enum log_level log_get_level(void);
void log_set_stream(FILE *f); /* NULL restores stderr; not closed here */

/* "debug", "info", "warn", "error" (static strings). */
const char *log_level_name(enum log_level lvl);

/* Parses one of the names above (also "warning"). 0 or CAS_EINVAL. */
int log_level_parse(const char *s, enum log_level *out);

#endif
