/* Encryption at rest: the data keys of the database (migration 014) and
 * their rotation. The keys themselves are in the key ring file of the
 * installation (base/seal.h); the database only records which key ids its
 * values need. */
#ifndef CAS_DATA_KEYS_H
#define CAS_DATA_KEYS_H
#include <stddef.h>
#include <stdint.h>

#include "base/seal.h"

struct actor;
struct db;

#define DATA_KEYS_COLUMNS_MAX 8

/* At start-up, with the ring the server will use: every key the database
 * still needs ('actif' or 'ancien') must be in it. The ring's first key
 * becomes the 'actif' one when it is not already (the first start, or a
 * key put first in the file by hand: the previous one becomes 'ancien'
 * until cassis keys rotate has re-sealed its values). 0; CAS_EAUTH when a
 * needed key is missing, with their ids ("1a2b3c4d, ...") in missing; or
 * a database error. */
int data_keys_check(struct db *db, const struct seal_ring *ring, char *missing, size_t missingsz);

/* 1 when the database records at least one key that some values may use
 * ('actif' or 'ancien'), 0 when none, negative on error. */
int data_keys_in_use(struct db *db);

/* What a rotation or a census found, per sealed column (store/
 * sealed_store.h sealed_columns order) and in all. */
struct data_keys_report {
	int64_t resealed[DATA_KEYS_COLUMNS_MAX]; /* opened and sealed again under the new key */
	int64_t cleared[DATA_KEYS_COLUMNS_MAX];  /* found in clear, now sealed */
	int64_t current[DATA_KEYS_COLUMNS_MAX];  /* already under the new key */
	int64_t resealed_total, cleared_total, current_total, other_total;
	int ncolumns;
	char failed_at[SEAL_AD_MAX]; /* the value that did not open, "" when none */
	int failed_rc;               /* its seal status (seal_strerror) */
};

/* Progress callback: after each batch (column label, rows seen so far in
 * that column). */
typedef void (*data_keys_progress)(const char *label, int64_t seen, void *ctx);

/* Re-seals under the process ring's first key (seal_set_ring / seal_load:
 * it must also hold every key the values use) every sealed value that is
 * under another key or in clear, by batches of batch rows (one
 * transaction each), so that the servers keep running. Records the new
 * key as 'actif' first, and once every value is under it, the previous
 * keys as 'retire'; then writes one audit entry with the counts
 * ("rotation_cle_donnees"). Resumable: a new run skips what is done.
 * 0; CAS_EAUTH / CAS_EIO when a value does not open (rep->failed_at, rep->failed_rc);
 * or a database error. */
int data_keys_rotate(struct db *db, const struct actor *who, int batch, data_keys_progress progress,
                     void *ctx, struct data_keys_report *rep);

/* Counts the sealed values under the process ring's first key
 * (rep->current), under another key (rep->other_total; the ids in
 * others, comma-separated) and in clear (rep->cleared). Reads only. */
int data_keys_census(struct db *db, struct data_keys_report *rep, char *others, size_t otherssz);

#endif
