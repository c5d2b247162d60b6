/* Internal: recording the message behind a failing status. */
#ifndef VOXGATE_API_STATUS_H_
#define VOXGATE_API_STATUS_H_

/* Stores a printf-style message for voxgate_last_error() and returns
 * `status`, so failures read `return voxgate_fail(VOXGATE_ERR_..., ...)`. */
int voxgate_fail(int status, const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
