/* A dossier (application for an aid): its life cycle, and the types of the
 * resource and charge lines of its budget. */
#ifndef CAS_DOMAIN_DOSSIER_H
#define CAS_DOMAIN_DOSSIER_H
#include <stddef.h>

/* Life cycle:
 *
 *   brouillon --> depose --> en_instruction --> cloture
 *       |            |                            ^
 *       +------------+----------------------------+  (classé sans suite)
 *
 * A closed dossier never changes state again, and no dossier goes back. */
enum dossier_state {
	DS_BROUILLON,
	DS_DEPOSE,
	DS_EN_INSTRUCTION,
	DS_CLOTURE,
};
#define DS_COUNT 4

/* Stored code ("brouillon", "depose", "en_instruction", "cloture") and
 * French label ("Brouillon", "Déposé", "En instruction", "Clôturé") of a
 * state; NULL when s is out of range. Static strings. */
const char *dossier_state_code(enum dossier_state s);
const char *dossier_state_label(enum dossier_state s);

/* Sets *out from a stored code. Returns 0, or CAS_EINVAL for an unknown
 * code or NULL (then *out is untouched). */
int dossier_state_from_code(const char *code, enum dossier_state *out);

/* 0 when a dossier may go from `from` to `to`, CAS_EINVAL otherwise with a
 * static French reason in *why (when not NULL). */
int dossier_transition_check(enum dossier_state from, enum dossier_state to, const char **why);

/* Budget lines: what the household receives and what it pays, per month. */
enum line_kind { LINE_RESSOURCE, LINE_CHARGE };

/* "ressource" / "charge" and "Ressource" / "Charge"; NULL when out of
 * range. Static strings. */
const char *line_kind_code(enum line_kind k);
const char *line_kind_label(enum line_kind k);

/* A category of budget line. The table is static: never freed. */
struct line_type {
	const char *code;  /* stored code: "salaire", "loyer"... */
	const char *label; /* French label */
	enum line_kind kind;
};

/* The type with this code, or NULL when there is none. */
const struct line_type *line_type_find(const char *code);

/* Iteration over all the types, resources first, in display order:
 *   for (size_t i = 0; i < line_type_count(); i++) t = line_type_at(i);
 * line_type_at() returns NULL when i >= line_type_count(). */
size_t line_type_count(void);
const struct line_type *line_type_at(size_t i);

#endif
