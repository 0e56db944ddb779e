#include "base/err.h"

const char *cas_err_name(int err)
{
	switch (err) {
	case CAS_OK: return "ok";
	case CAS_ENOMEM: return "no_memory";
	case CAS_EINVAL: return "invalid";
	case CAS_ENOTFOUND: return "not_found";
	case CAS_EDB: return "database";
	case CAS_ETOOBIG: return "too_big";
	case CAS_EPERM: return "forbidden";
	case CAS_ECONFLICT: return "conflict";
	case CAS_EIO: return "io";
	case CAS_EAUTH: return "auth";
	case CAS_ELOCKED: return "locked";
	}
	return "unknown";
}
