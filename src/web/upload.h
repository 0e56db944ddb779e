/* File uploads (multipart/form-data) on the routes that take a file: the
 * pièces justificatives. The body is parsed while it arrives, with
 * libmicrohttpd's post processor: the text fields go to an object of
 * strings (the request's form), the first file to a buffer that never grows
 * past the upload limit (server_cfg.upload_max). Every other route keeps
 * the 1 MiB body of web/req.h.
 *
 * Life of an upload, driven by server.c and dispatch.c:
 *   upload_begin   first call of the request: for a multipart POST on an
 *                  upload route, starts the parser and returns the body
 *                  limit (the file limit plus room for the other fields);
 *   upload_feed    each piece of the body;
 *   upload_finish  before the handler: the fields become r->form;
 *   upload_free    when the request completes. */
#ifndef CAS_UPLOAD_H
#define CAS_UPLOAD_H
#include <stddef.h>

struct req;
struct route;
struct document_file;

/* Room for the fields besides the file, and the multipart framing. */
#define UPLOAD_OVERHEAD ((size_t)256 * 1024)

/* 1 when the route takes a file. */
int upload_route(const struct route *rt);

/* Sets r->upload for a multipart POST on an upload route and returns the
 * body limit of the request; REQ_BODY_MAX otherwise. */
size_t upload_begin(struct req *r);

/* Parses size bytes of the body. 0, or CAS_ETOOBIG once the file passes
 * the limit or the body the limit of upload_begin (the rest of the body
 * is then only counted). */
int upload_feed(struct req *r, const char *data, size_t size);

/* Ends the parsing: r->form receives the text fields (trimmed, repeated
 * keys as form_parse names them). 0, or CAS_EINVAL for a malformed body
 * or a field that is not UTF-8 text. */
int upload_finish(struct req *r);

/* The file received, into f (borrowed from r, valid until the request
 * completes); an empty file (no name, no byte) without a multipart body. */
void upload_file(struct req *r, struct document_file *f);

void upload_free(struct req *r);

/* Answers an upload whose body passed the limit, for a signed-in caller
 * allowed on the route: the route's form again with the message, 413.
 * Nothing is written (the body, and the CSRF token in it, were not read). */
void upload_too_big(struct req *r);

#endif
