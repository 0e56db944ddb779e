/* The households of the API Impôt particulier stand-in: one JSON file per
 * foyer fiscal, in Cassis's own format (docs/standin.md, "API Impôt
 * particulier"):
 *
 *   {"description": "free text",
 *    "spi": ["3049990010xxx", "..."],        numéros fiscaux of the declarants
 *    "annees": {
 *      "2021": {"situation": {...}},          the avis of that income year
 *      "N-1":  {"situation": {...}},          relative to this calendar year
 *      "N-2":  {"statut": 410, "erreur": {"code": 4101, "message": "..."}},
 *      "N-3":  {"statut": 204}},
 *    "reponse": {"statut": 404, "erreur": {"code": 4102}}}   optional: the
 *                                             answer to every call of these SPIs
 *
 * Every *.json file of the folder is read at start and read again as soon
 * as the folder changes. The answer to a call is computed from the
 * household, the route, the year asked and today's date (the DGFiP
 * calendar: the avis of income year N is available from 22 July of N+1).
 * Thread-safe. */
#ifndef CAS_STANDIN_IMPOTS_FIXTURES_H
#define CAS_STANDIN_IMPOTS_FIXTURES_H
#include <stddef.h>

#include <jansson.h>

#define IMF_MAX_SPI 4
#define IMF_SPI_LEN 13

/* The data routes. */
enum imf_route {
	IMF_ANNREV,          /* situations/ir/assiettes/annrev/{annrev} */
	IMF_DERNIERE_ANNREV, /* dernieresituation/ir/assiettes/annrev/{annrev} */
	IMF_DEUXANS,         /* dernieresituation/ir/assiettes/deuxans */
};

/* The usual erreur codes of the DGFiP. */
#define IMF_CODE_NO_DATA     4101
#define IMF_CODE_UNKNOWN_SPI 4102

/* The answer for one income year, or for every call (reponse). */
struct imf_entry {
	char key[8];       /* the year as written: "2021" or "N-1" */
	int status;        /* 200, or the status of another answer */
	int code;          /* erreur.code; 0 when none */
	char *message;     /* erreur.message (owned); NULL: the usual message */
	json_t *situation; /* status 200: the data (owned) */
};

struct imf_household {
	char file[256]; /* base name of the file */
	char spi[IMF_MAX_SPI][IMF_SPI_LEN + 1];
	int nspi;
	int has_reponse;
	struct imf_entry reponse;
	struct imf_entry *years; /* owned */
	int nyears;
};

/* Parses the text of one household file (file: its base name, for the
 * answers). 0, or CAS_EINVAL with a French reason in err (out then holds
 * nothing to free). */
int imf_parse(const char *text, size_t len, const char *file, struct imf_household *out, char *err,
              size_t errsz);
void imf_clear(struct imf_household *h);

/* The income year a key stands for when the calendar year is this_year:
 * "2021" → 2021, "N-1" → this_year - 1, "N" → this_year; -1 when the key
 * is not a year. */
int imf_year_of(const char *key, int this_year);

/* 1 when the avis of income year `year` is available on y-m-d: from
 * 22 July of year + 1 on. */
int imf_taxed(int year, int y, int m, int d);

/* The answer to a call. */
struct imf_answer {
	int status;        /* 200, 204, or an error status */
	int code;          /* erreur.code; 0 when none */
	char message[256]; /* erreur.message ("" with status 200 and 204) */
	json_t *situation; /* status 200: a copy (caller releases) */
	int year;          /* income year answered (200), else asked (0: deuxans) */
	char file[256];    /* the household that answered, "" when none */
};

/* The answer of household h (NULL: no household has this SPI) to a call of
 * route for income year `year` (ignored for IMF_DEUXANS) on y-m-d:
 * unknown SPI 410/4102; the household's "reponse" when it has one; a year
 * not yet taxed 410/4101; the year's entry; a year without an entry
 * 410/4101. Deuxans tries N-1 (when taxed) then N-2, N being y; without a
 * 200 it answers as for the first year tried. Call imf_answer_clear after. */
void imf_answer(const struct imf_household *h, enum imf_route route, int year, int y, int m, int d,
                struct imf_answer *out);
void imf_answer_clear(struct imf_answer *a);

/* The usual French message of an erreur code ("" when unknown). */
const char *imf_message(int code);

struct imf_folder;

/* Reads the folder now (unreadable files are reported in the log and
 * skipped). Never NULL; close with imf_folder_close. */
struct imf_folder *imf_folder_open(const char *dir);
void imf_folder_close(struct imf_folder *f);
/* Number of usable households, after reading the folder again if it
 * changed. */
int imf_folder_count(struct imf_folder *f);
/* imf_answer for the household of spi (the first file, in name order,
 * that lists it), after reading the folder again if it changed. */
void imf_folder_answer(struct imf_folder *f, const char *spi, enum imf_route route, int year, int y,
                       int m, int d, struct imf_answer *out);

#endif
