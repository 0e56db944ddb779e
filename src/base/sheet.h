/* A table to export, described once and written as CSV (base/csv.h) or
 * XLSX (base/xlsx.h) so that both files carry the same figures: columns
 * that read their cell from each row object by key, and rows as a JSON
 * array of objects. */
#ifndef CAS_SHEET_H
#define CAS_SHEET_H

enum sheet_kind {
	SHEET_TEXT,  /* a string (null or missing: empty cell) */
	SHEET_INT,   /* a JSON integer */
	SHEET_MONEY, /* a JSON integer of cents, written as euros */
	SHEET_DATE,  /* 'YYYY-MM-DD' text, or a JSON integer of unix seconds (Paris date) */
};

struct sheet_column {
	const char *key;   /* field of the row objects */
	const char *title; /* French header */
	enum sheet_kind kind;
	double width; /* XLSX column width in characters, 0 for the default */
};

#endif
