/* Fault injection for tests and demonstrations: added latency, answers
 * replaced by an error at a given rate, JSON bodies cut short, connections
 * closed without an answer. Draws use libsodium's generator (thread-safe). */
#ifndef CAS_STANDIN_FAULTS_H
#define CAS_STANDIN_FAULTS_H
#include <stddef.h>

#define FAULTS_MAX_ERRORS 8

struct fault_rate {
	int status;
	double pct; /* 0..100 */
};

struct faults {
	int latency_ms;
	struct fault_rate errors[FAULTS_MAX_ERRORS];
	int nerrors;
	double malformed_pct; /* JSON bodies cut short */
	double reset_pct;     /* connections closed without an answer */
};

/* Parses a percentage "12" or "0.5" in [0, 100]. 0 or CAS_EINVAL. */
int faults_parse_pct(const char *s, double *out);

/* Adds "STATUS:PCT" (STATUS one of 409, 429, 500, 502, 503, 504; the
 * percentages of all statuses add up to 100 at most). 0, or CAS_EINVAL
 * with a French reason in err. */
int faults_add_error(struct faults *f, const char *spec, char *err, size_t errsz);

/* 1 with probability pct/100. */
int faults_draw(double pct);

/* The status of an error to inject now, or 0 (one draw over all rates). */
int faults_draw_error(const struct faults *f);

/* Length to which a body of len bytes is cut: about half, and always
 * shorter than len when len > 0. */
size_t faults_cut_length(size_t len);

#endif
