/* The rules of the API Impôt particulier stand-in around the replay: the
 * habilitation of a client (which resources, which income years, which
 * keys of the answer), the OAuth2 scopes of a token, and the checks of a
 * data call in the order the DGFiP gateway and API make them. Pure
 * functions, no I/O. */
#ifndef CAS_STANDIN_IMPOTS_RULES_H
#define CAS_STANDIN_IMPOTS_RULES_H
#include <stddef.h>

#include <jansson.h>

#include "standin/impots_fixtures.h"

/* The OAuth2 scopes (resources) of the API, as bits. */
enum {
	IMR_RES_IR = 1 << 0,        /* RessourceIR: situations/.../annrev */
	IMR_RES_DERNIERE = 1 << 1,  /* RessourceIRDerniere: dernieresituation/.../annrev */
	IMR_RES_DERNIERE2 = 1 << 2, /* RessourceIRDerniere2: .../deuxans */
	IMR_RES_FACTURE = 1 << 3,   /* the others: no route in the stand-in */
	IMR_RES_MULTIPLE = 1 << 4,
	IMR_RES_IFI = 1 << 5,
	IMR_RES_TH = 1 << 6,
	IMR_RES_LEP = 1 << 7,
	IMR_RES_ALL = (1 << 8) - 1,
};

/* A habilitation, as the DGFiP grants it after DataPass. */
struct imr_hab {
	int all;            /* no restriction: every resource, year and key */
	unsigned resources; /* IMR_RES_* granted */
	unsigned years;     /* bit k: income year N-k granted (k = 1..3); 0: any year */
	char **keys;        /* keys of the answer kept ("pac.nbPac": the total only) */
	int nkeys;
};

/* Parses a list of names separated by blanks, commas or new lines ("#"
 * starts a comment to the end of the line): DataPass scopes (dgfip_rfr,
 * dgfip_annee_n_moins_1...), Cassis names of the avis data
 * (dgfip_montTotIr, dgfip_impAvImput, dgfip_revImposable, dgfip_avis),
 * resources (RessourceIR...) or keys of the answer (montTotIr). Without a
 * resource name, the resources follow the year ticks: RessourceIR for
 * N-1, N-2 or N-3, RessourceIRDerniere2 for "N-2 si N-1 indisponible",
 * RessourceIRDerniere for the death tick; without any year tick, every
 * resource and year. 0, or CAS_EINVAL with a French reason in err
 * (out then holds nothing to free). */
int imr_hab_parse(const char *text, struct imr_hab *out, char *err, size_t errsz);
/* The habilitation that grants everything. */
void imr_hab_all(struct imr_hab *out);
void imr_hab_free(struct imr_hab *h);

/* Removes from a 200 answer the keys h does not grant (annRevenu is always
 * kept). */
void imr_hab_filter(const struct imr_hab *h, json_t *situation);

/* The bit of a resource name, 0 when unknown. */
unsigned imr_resource_bit(const char *name);
/* The resources a token gets: those of `requested` (names separated by
 * blanks; unknown ones ignored) that h grants; every resource of h when
 * nothing is requested. */
unsigned imr_token_resources(const struct imr_hab *h, const char *requested);
/* The names of a set of resources separated by a space, "default" when
 * empty (as the gateway names a token without scope). */
void imr_resources_text(unsigned resources, char *out, size_t outsz);
/* The resource a route needs. */
unsigned imr_route_resource(enum imf_route route);

/* 1 when s is a UUID (8-4-4-4-12 hexadecimal digits). */
int imr_is_uuid(const char *s);

/* The checks of a data call, in order; the first that fails answers. */
enum imr_step {
	IMR_OK,
	IMR_NO_TOKEN,    /* 401: no bearer token */
	IMR_BAD_TOKEN,   /* 401: unknown or expired token */
	IMR_QUOTA,       /* 429: past the quota of the client */
	IMR_CORRELATION, /* 400: X-Correlation-ID missing or not a UUID */
	IMR_RESOURCE,    /* 403/4031: the token's scope lacks the route's resource */
	IMR_SPI,         /* 400/4001: the SPI is not 13 digits */
	IMR_YEAR,        /* 400/4002: the year is not 4 digits */
	IMR_YEAR_RIGHTS, /* 403/4031: the habilitation lacks this income year */
};

enum imr_token { IMR_TOKEN_NONE, IMR_TOKEN_REFUSED, IMR_TOKEN_VALID };

struct imr_call {
	enum imf_route route;
	enum imr_token token;
	int quota_ok;               /* the quota allowed this call (valid token only) */
	unsigned resources;         /* of the token */
	const struct imr_hab *hab;  /* of the token's client */
	const char *correlation_id; /* NULL when absent */
	const char *spi;            /* path segment */
	const char *year;           /* path segment; NULL for deuxans */
	int this_year;              /* today's calendar year */
};

/* The first check that fails, or IMR_OK with the year asked in *year (0
 * for deuxans). */
enum imr_step imr_check(const struct imr_call *c, int *year);

#endif
