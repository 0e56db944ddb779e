/* Queueing responses. Each sets r->replied; a handler queues exactly one.
 * Every response carries the security headers and X-Request-Id. */
#ifndef CAS_REPLY_H
#define CAS_REPLY_H
#include <jansson.h>
#include <stddef.h>

struct req;

void reply_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len,
                 const char *cache_control);
/* 200 with Content-Disposition: attachment, so that the browser saves the
 * file under filename (ASCII letters, digits, '-', '_', '.'; others are
 * replaced by '_'). data is copied. */
void reply_download(struct req *r, const char *content_type, const char *filename, const void *data,
                    size_t len);
void reply_json(struct req *r, int status, json_t *body /* stolen */);
/* {"error":{"code","message","field"}}; field may be NULL. */
void reply_api_error(struct req *r, int status, const char *code, const char *message,
                     const char *field);
/* 303 See Other to location (a local path). */
void reply_redirect(struct req *r, const char *location);
/* Same, with a one-time confirmation shown on the next page (a code from
 * flash.c, never free text). */
void reply_redirect_flash(struct req *r, const char *location, const char *flash_code);
/* An error in the caller's language: a JSON error for API routes, an HTML
 * page otherwise. */
void reply_error(struct req *r, int status, const char *message);
void reply_not_found(struct req *r);
/* Maps a cas_err from a use case to the right error response. */
void reply_cas_err(struct req *r, int err);

/* Adds a Set-Cookie header to the next response of r (at most 4). */
void reply_set_cookie(struct req *r, const char *name, const char *value, int max_age);

#endif
