/* One status convention: fallible functions return int, 0 on success or a
 * negative enum cas_err. */
#ifndef CAS_ERR_H
#define CAS_ERR_H

enum cas_err {
	CAS_OK = 0,
	CAS_ENOMEM = -1,    /* allocation refused at an input boundary */
	CAS_EINVAL = -2,    /* input rejected by validation */
	CAS_ENOTFOUND = -3, /* no such object (or not visible to the caller) */
	CAS_EDB = -4,       /* database failure */
	CAS_ETOOBIG = -5,   /* a size limit was reached */
	CAS_EPERM = -6,     /* permission denied */
	CAS_ECONFLICT = -7, /* state or uniqueness conflict */
	CAS_EIO = -8,       /* file or network failure */
	CAS_EAUTH = -9,     /* authentication failed */
	CAS_ELOCKED = -10,  /* account temporarily locked */
};

/* A short English name of the error, for logs ("not_found"...). Static string. */
const char *cas_err_name(int err);

#endif
