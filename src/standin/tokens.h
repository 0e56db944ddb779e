/* The tokens a stand-in accepts, read from a text file, one per line:
 *
 *   # comment
 *   TOKEN  SCOPES  [OPTIONS]
 *
 * SCOPES: scope names separated by commas, or "-" for none. OPTIONS:
 * "expire" (the API answers as for an expired token), "liste-noire" (a
 * revoked token), "nom=TEXT" (the name /api/introspect shows; no spaces).
 * Without a file, a stand-in accepts any token with every scope, as the
 * State's sandbox does. */
#ifndef CAS_STANDIN_TOKENS_H
#define CAS_STANDIN_TOKENS_H
#include <stddef.h>

enum token_state {
	TOKEN_VALID = 0,
	TOKEN_EXPIRED,
	TOKEN_REVOKED,
};

struct token_entry {
	char *token;
	char **scopes;
	int nscopes;
	enum token_state state;
	char *name; /* "" when none */
};

struct token_table {
	struct token_entry *items;
	int n;
};

/* Parses the text of a tokens file into a new table (tokens_free). 0, or
 * CAS_EINVAL with a French reason naming the line in err. */
int tokens_parse(const char *text, struct token_table **out, char *err, size_t errsz);
/* Reads and parses path. 0, CAS_EIO (unreadable) or CAS_EINVAL. */
int tokens_load(const char *path, struct token_table **out, char *err, size_t errsz);
void tokens_free(struct token_table *t);

/* The entry of token, or NULL (comparison in constant time per entry). */
const struct token_entry *tokens_find(const struct token_table *t, const char *token);
int token_has_scope(const struct token_entry *e, const char *scope);

/* A stable identifier of a token, shaped like a UUID (its "jti"), derived
 * from a digest of the token. */
void token_id(const char *token, char out[37]);

#endif
