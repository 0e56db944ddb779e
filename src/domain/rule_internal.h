/* Internals of the rule engine shared by rule_*.c and rules.c: the syntax
 * tree, grids, the parsed rule and the evaluation values. Not a public
 * header: use domain/rules.h. */
#ifndef CAS_DOMAIN_RULE_INTERNAL_H
#define CAS_DOMAIN_RULE_INTERNAL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "domain/ratio.h"
#include "domain/rules.h"

#define RULE_MAX_VARS    128 /* distinct variables one rule may read */
#define RULE_MAX_CALCS   64
#define RULE_MAX_STRING  1024 /* bytes of a string literal */
#define RULE_MAX_LABEL   1000 /* bytes of a libellé */
#define RULE_MAX_NAME    64   /* bytes of a variable, calcul or grid name */
#define RULE_MAX_ERRS    8    /* distinct evaluation error messages kept */
#define RULE_MAX_DECIMAL 6    /* decimals of arrondi() */

enum rtype { RT_NONE = 0, RT_NUM, RT_STR, RT_BOOL, RT_LIST_NUM, RT_LIST_STR };

enum nkind {
	N_NUM,
	N_STR,
	N_BOOL,
	N_VAR,
	N_CALC,
	N_LIST,
	N_NEG,
	N_NOT,
	N_ADD,
	N_SUB,
	N_MUL,
	N_DIV,
	N_EQ,
	N_NE,
	N_LT,
	N_LE,
	N_GT,
	N_GE,
	N_IN,
	N_AND,
	N_OR,
	N_IF,
	N_CALL
};

enum rfunc { F_MIN, F_MAX, F_ROUND, F_ABS, F_GRID, F_KNOWN, F_DEFAULT };

/* One node of an expression tree. Children are linked: kid is the first,
 * next the following sibling (-1 ends). */
struct node {
	uint8_t kind, type, func, mode;
	int line, col; /* of the token that made the node */
	int kid, next, nkids;
	int ref; /* N_VAR/N_CALC: index; N_CALL bareme: grid; N_STR: pool offset; N_BOOL: 0/1 */
	int depth;
	struct ratio num; /* N_NUM; arrondi(): decimals in num.num */
};

struct rexpr {
	char *src;  /* the source text (owned) */
	char *pool; /* string literals, NUL-separated (owned) */
	struct node *nodes;
	int nnodes, root;
	int depth; /* of the tree, calculations it reads included */
	uint8_t type;
};

/* Grids (barèmes). A bracket holds one cell per column, or one cell when
 * the grid has no columns; a cell may be empty (no value). */
struct rcell {
	int has;
	struct ratio v;
};
struct rbracket {
	int has_min, has_max, min_incl, max_incl;
	struct ratio min, max;
	char *libelle;
	struct rcell *cells;
};
enum runit { UNIT_NUMBER, UNIT_EUROS, UNIT_PERCENT };
struct rgrid {
	char *name, *libelle, *col_libelle;
	enum runit unit;
	char **cols;
	int ncols;
	struct rbracket *br;
	int nbr;
};

struct rvar {
	char *name, *libelle;
	enum rtype type;
	char **allowed; /* texte variables: accepted values, or NULL */
	int nallowed;
	int declared; /* declared by the document (not the catalogue) */
	int used;     /* read by an expression */
};

struct rcalc {
	char *name, *libelle;
	struct rexpr e;
};
struct rcond {
	char *libelle;
	struct rexpr e;
};

enum rnature { NAT_NONE, NAT_MONTANT, NAT_TARIF };

struct rule {
	struct rvar vars[RULE_MAX_VARS];
	int nvars;
	struct rgrid *grids;
	int ngrids;
	struct rcalc *calcs;
	int ncalcs;
	struct rcond *conds;
	int nconds;
	int has_taux;
	struct rexpr taux;
	enum rnature nature;
	struct rexpr montant;
	int has_plafond;
	char *plafond_libelle, *plafond_periode;
	struct rexpr plafond, deja_verse;
	int decimals;
	enum ratio_mode mode;
};

/* ---- rule_vars.c: variables (situation.h catalogue) and JSON values ---- */
/* Index of name in r->vars, adding it from the catalogue when needed;
 * -1 unknown, -2 table full. */
int rule_var_ref(struct rule *r, const char *name);
/* Reads a number from JSON: integer, real, or a text such as "12.5",
 * "12,5", "2650/3". 0 or CAS_EINVAL / CAS_ETOOBIG. */
int rule_json_number(const json_t *v, struct ratio *out);
const char *rule_type_name(enum rtype t); /* "un nombre", "du texte" ... */
const char *rule_type_code(enum rtype t); /* "nombre", "texte", "booleen" */
/* Closest known name (variables of r and the catalogue, calculs) to name,
 * or NULL when none is close. */
const char *rule_suggest(const struct rule *r, const char *name);
int rule_name_valid(const char *s);
/* Cuts s before its first invalid UTF-8 byte (a sequence cut by a bounded
 * snprintf), so that messages always make valid JSON strings. */
void rule_utf8_trim(char *s);
/* Rounding mode by name: "demi_haut", "inferieur" (toward zero),
 * "superieur" (away from zero), "demi_pair", "plancher", "plafond", or the
 * names of ratio_mode_parse(). 0 or CAS_EINVAL. */
int rule_mode_parse(const char *name, enum ratio_mode *out);
const char *rule_mode_text(enum ratio_mode m); /* "au plus proche, demi vers le haut" */

/* ---- rules.c: document helpers ---- */
/* Fills err (path + "/" + key when key is not NULL; no position) and
 * returns -1. */
int rule_doc_error(struct rule_error *err, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* -1 with err when o has a key outside allowed (NULL-terminated). */
int rule_check_keys(const json_t *o, const char *const *allowed, const char *path,
                    struct rule_error *err);
/* A non-empty text of at most RULE_MAX_LABEL bytes into *out (owned). */
int rule_read_label(const json_t *v, char **out, const char *path, const char *key,
                    struct rule_error *err);

/* ---- rule_lexer.c ---- */
enum tok {
	T_EOF,
	T_NUM,
	T_STR,
	T_IDENT,
	T_LPAREN,
	T_RPAREN,
	T_LBRACK,
	T_RBRACK,
	T_COMMA,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_ET,
	T_OU,
	T_NON,
	T_SI,
	T_ALORS,
	T_SINON,
	T_DANS,
	T_VRAI,
	T_FAUX,
	T_ERROR
};
struct token {
	enum tok kind;
	size_t start, len; /* bytes in the source */
	int line, col;
	struct ratio num; /* T_NUM */
};
struct lexer {
	const char *src;
	size_t len, pos;
	int line, col;
	struct buf str; /* T_STR: the decoded text */
	char msg[200];  /* T_ERROR: French message */
};
void lexer_init(struct lexer *lx, const char *src);
void lexer_free(struct lexer *lx);
struct token lexer_next(struct lexer *lx);
const char *tok_text(enum tok t); /* how the token is written, for messages */

/* ---- rule_parser.c ---- */
/* Parses src against the grids, variables and calculs known to r so far.
 * want: the type the expression must have (RT_NONE: any scalar). Returns 0
 * or CAS_EINVAL with err filled (line, column, message; path untouched). */
int rexpr_parse(struct rule *r, const char *src, enum rtype want, struct rexpr *out,
                struct rule_error *err);
void rexpr_free(struct rexpr *e);
const char *rexpr_str(const struct rexpr *e, const struct node *n);

/* ---- rule_grid.c ---- */
int rule_grids_parse(struct rule *r, const json_t *grids, struct rule_error *err);
void rule_grids_free(struct rule *r);
int rule_grid_find(const struct rule *r, const char *name);
int rule_grid_col(const struct rgrid *g, const char *col);
/* Index of the bracket holding x, or -1. */
int rule_grid_bracket(const struct rgrid *g, struct ratio x);
/* French description of bracket i ("de 500 exclu à 600 inclus"). */
void rule_bracket_text(const struct rgrid *g, int i, struct buf *out);

/* ---- rule_eval.c ---- */
struct miss {
	uint64_t w[RULE_MAX_VARS / 64];
};
enum vkind { V_NUM, V_STR, V_BOOL, V_UNK, V_ERR };
struct val {
	uint8_t kind, b;
	int err; /* V_ERR: index in ectx.errs */
	struct ratio n;
	const char *s;
	struct miss m; /* V_UNK / V_ERR: variables missing */
};
struct ectx {
	const struct rule *r;
	struct val vars[RULE_MAX_VARS];
	struct val calcs[RULE_MAX_CALCS]; /* valid when calc_done */
	uint8_t calc_done[RULE_MAX_CALCS];
	/* called once per calculation, right after it is first computed */
	void (*on_calc)(void *arg, int i);
	void *arg;
	char errs[RULE_MAX_ERRS][256];
	int nerrs;
	json_t *lookups; /* array of grid lookups made, or NULL */
};
/* Converts the variables of vars (object) read by r. */
void ectx_init(struct ectx *c, const struct rule *r, const json_t *vars);
struct val rexpr_eval(struct ectx *c, const struct rexpr *e);
int ectx_error(struct ectx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- rule_explain.c ---- */
/* French display of a number: "1 234,5", "≈ 883,33" when not exact. */
void rule_fmt_number(struct ratio r, enum runit unit, struct buf *out);
void rule_fmt_val(const struct val *v, struct buf *out);
json_t *rule_val_json(const struct val *v); /* exact form; null when unknown */
/* A value as the expression language writes it ("12.5", "\"67218\"", "vrai",
 * "883.33…" when not exact, "?" when unknown). */
void rule_print_value(const struct val *v, struct buf *out);
/* The expression with the values of its variables and calculs put in. */
void rule_substitute(const struct ectx *c, const struct rexpr *e, struct buf *out);
/* Object name -> value of the variables and calculs e reads. */
json_t *rule_used_values(const struct ectx *c, const struct rexpr *e);
/* "a, b et c" of the names of the variables in m. */
void rule_missing_text(const struct rule *r, const struct miss *m, struct buf *out);
json_t *rule_missing_json(const struct rule *r, const struct miss *m);

#endif
