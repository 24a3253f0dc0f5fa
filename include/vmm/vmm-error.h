/*
 * vmm-error.h: how libvmm reports failures.
 *
 * Every function that fails sets a thread-local "last error" and returns -1
 * or NULL; on success the last error is untouched. Codes, domains and levels
 * carry libvirt's numbers so they cross the wire unchanged.
 */
#ifndef VMM_ERROR_H
#define VMM_ERROR_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VMM_ERR_NONE = 0,
    VMM_ERR_WARNING = 1,
    VMM_ERR_ERROR = 2,
} vmmErrorLevel;

/* Where an error came from. */
typedef enum {
    VMM_FROM_NONE = 0,
    VMM_FROM_XEN = 1,
    VMM_FROM_XML = 5,
    VMM_FROM_DOM = 6,
    VMM_FROM_RPC = 7,
    VMM_FROM_CONF = 9,
    VMM_FROM_QEMU = 10,
    VMM_FROM_NET = 11,
    VMM_FROM_TEST = 12,
    VMM_FROM_REMOTE = 13,
    VMM_FROM_OPENVZ = 14,
    VMM_FROM_STORAGE = 18,
    VMM_FROM_NETWORK = 19,
    VMM_FROM_DOMAIN = 20,
    VMM_FROM_SECURITY = 24,
    VMM_FROM_DOMAIN_SNAPSHOT = 35,
    VMM_FROM_STREAMS = 38,
    VMM_FROM_EVENT = 40,
    VMM_FROM_LIBXL = 41,
    VMM_FROM_CAPABILITIES = 44,
    VMM_FROM_URI = 45,
    VMM_FROM_AUTH = 46,
    VMM_FROM_ACCESS = 55,
    VMM_FROM_POLKIT = 60,
    VMM_FROM_THREAD = 61,
    VMM_FROM_LOGGING = 63,
} vmmErrorDomain;

/* What went wrong. */
typedef enum {
    VMM_ERR_OK = 0,
    VMM_ERR_INTERNAL_ERROR = 1,
    VMM_ERR_NO_MEMORY = 2,
    VMM_ERR_NO_SUPPORT = 3,
    VMM_ERR_UNKNOWN_HOST = 4,
    VMM_ERR_NO_CONNECT = 5,
    VMM_ERR_INVALID_CONN = 6,
    VMM_ERR_INVALID_DOMAIN = 7,
    VMM_ERR_INVALID_ARG = 8,
    VMM_ERR_OPERATION_FAILED = 9,
    VMM_ERR_OS_TYPE = 16,
    VMM_ERR_NO_SOURCE = 19,
    VMM_ERR_NO_TARGET = 20,
    VMM_ERR_NO_NAME = 21,
    VMM_ERR_NO_OS = 22,
    VMM_ERR_NO_DEVICE = 23,
    VMM_ERR_XML_ERROR = 27,
    VMM_ERR_DOM_EXIST = 28,
    VMM_ERR_OPERATION_DENIED = 29,
    VMM_ERR_OPEN_FAILED = 30,
    VMM_ERR_READ_FAILED = 31,
    VMM_ERR_PARSE_FAILED = 32,
    VMM_ERR_CONF_SYNTAX = 33,
    VMM_ERR_WRITE_FAILED = 34,
    VMM_ERR_XML_DETAIL = 35,
    VMM_ERR_SYSTEM_ERROR = 38,
    VMM_ERR_RPC = 39,
    VMM_ERR_GNUTLS_ERROR = 40,
    VMM_ERR_NO_DOMAIN = 42,
    VMM_ERR_NO_NETWORK = 43,
    VMM_ERR_INVALID_MAC = 44,
    VMM_ERR_AUTH_FAILED = 45,
    VMM_ERR_OPERATION_INVALID = 55,
    VMM_ERR_CONFIG_UNSUPPORTED = 67,
    VMM_ERR_OPERATION_TIMEOUT = 68,
    VMM_ERR_INVALID_DOMAIN_SNAPSHOT = 71,
    VMM_ERR_NO_DOMAIN_SNAPSHOT = 72,
    VMM_ERR_INVALID_STREAM = 73,
    VMM_ERR_ARGUMENT_UNSUPPORTED = 74,
    VMM_ERR_OPERATION_ABORTED = 78,
    VMM_ERR_AUTH_CANCELLED = 79,
    VMM_ERR_NO_DOMAIN_METADATA = 80,
    VMM_ERR_OVERFLOW = 82,
    VMM_ERR_OPERATION_UNSUPPORTED = 84,
    VMM_ERR_RESOURCE_BUSY = 87,
    VMM_ERR_ACCESS_DENIED = 88,
    VMM_ERR_XML_INVALID_SCHEMA = 92,
    VMM_ERR_AUTH_UNAVAILABLE = 94,
} vmmErrorNumber;

typedef struct _vmmError {
    int code;     /* a vmmErrorNumber */
    int domain;   /* a vmmErrorDomain */
    char *message;
    int level;    /* a vmmErrorLevel */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
} vmmError;
typedef vmmError *vmmErrorPtr;

typedef void (*vmmErrorFunc)(void *userData, vmmErrorPtr error);

/* The calling thread's last error, or NULL; valid until the next call. */
VMM_EXPORT vmmErrorPtr vmmGetLastError(void);
/* Its message, or "no error". Never NULL. */
VMM_EXPORT const char *vmmGetLastErrorMessage(void);
VMM_EXPORT int vmmGetLastErrorCode(void);
VMM_EXPORT int vmmGetLastErrorDomain(void);
VMM_EXPORT void vmmResetLastError(void);
/* A heap copy of the last error (code VMM_ERR_OK when there is none);
 * release it with vmmFreeError. */
VMM_EXPORT vmmErrorPtr vmmSaveLastError(void);
/* Copies the last error into @to; returns its code, or 0. */
VMM_EXPORT int vmmCopyLastError(vmmErrorPtr to);
/* Clears the strings of an error filled by vmmCopyLastError. */
VMM_EXPORT void vmmResetError(vmmErrorPtr err);
VMM_EXPORT void vmmFreeError(vmmErrorPtr err);
/* Called for every error raised in any thread; NULL restores the default,
 * which prints nothing. */
VMM_EXPORT void vmmSetErrorFunc(void *userData, vmmErrorFunc handler);

/* The last error raised by a call on @conn, kept until the next one. */
VMM_EXPORT vmmErrorPtr vmmConnGetLastError(vmmConnectPtr conn);
VMM_EXPORT void vmmConnResetLastError(vmmConnectPtr conn);
VMM_EXPORT void vmmConnSetErrorFunc(vmmConnectPtr conn, void *userData,
                                    vmmErrorFunc handler);

#ifdef __cplusplus
}
#endif

#endif /* VMM_ERROR_H */
