#include "api/status.h"

#include <stdarg.h>
#include <stdio.h>

#include "voxgate/voxgate.h"

/* Per-thread where the compiler offers it; C99 has no thread-local. */
#if defined(__GNUC__) || defined(__clang__)
#define VOXGATE_TLS __thread
#else
#define VOXGATE_TLS
#endif

static VOXGATE_TLS char g_last_error[256];

int voxgate_fail(int status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(g_last_error, sizeof g_last_error, fmt, args);
  va_end(args);
  return status;
}

const char* voxgate_last_error(void) { return g_last_error; }

const char* voxgate_version(void) { return "0.1.0"; }

const char* voxgate_status_str(int status) {
  switch (status) {
    case VOXGATE_OK:
      return "ok";
    case VOXGATE_ERR_ARGUMENT:
      return "invalid argument";
    case VOXGATE_ERR_MEMORY:
      return "out of memory or buffer too small";
    case VOXGATE_ERR_FORMAT:
      return "malformed model file";
    case VOXGATE_ERR_VERSION:
      return "unsupported model file version";
    case VOXGATE_ERR_UNSUPPORTED:
      return "unsupported by this build";
    case VOXGATE_ERR_IO:
      return "input/output error";
    default:
      return "unknown status";
  }
}
