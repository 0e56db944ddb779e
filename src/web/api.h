/* Shared pieces of the JSON API (/api/v1): errors and cursor pagination. */
#ifndef CAS_API_H
#define CAS_API_H
#include <jansson.h>
#include <stdint.h>

struct req;

#define API_PAGE_DEFAULT 50
#define API_PAGE_MAX     200

/* 422 {"error":{"code":"invalid","message","field","fields":{...}}}: field
 * is the first wrong field, fields all of them (errors borrowed). */
void api_reply_field_errors(struct req *r, json_t *errors);

/* Reads ?limit= (1..API_PAGE_MAX, default API_PAGE_DEFAULT) and ?cursor=
 * (opaque; the id to continue after, 0 at the start). Replies 400 and
 * returns -1 on a bad value. */
int api_page_params(struct req *r, int *limit, int64_t *after_id);

/* {"data": rows, "next_cursor": "..." | null}. rows (stolen) holds up to
 * limit + 1 rows ordered by id: the extra row only says there is more and is
 * dropped. */
void api_reply_page(struct req *r, json_t *rows, int limit);

#endif
