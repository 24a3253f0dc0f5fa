/*
 * vmm-stream.h: data streams between the application and a guest's device
 * (a serial console today; volume upload and download later), and the
 * call that binds a stream to a domain's console.
 *
 * Semantics and numbers follow libvirt's virStream* API: a stream belongs
 * to one connection, is bound to a device by the call that opens it, then
 * carries bytes both ways until one side finishes or aborts it.
 */
#ifndef VMM_STREAM_H
#define VMM_STREAM_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _vmmStream vmmStream;
typedef vmmStream *vmmStreamPtr;

typedef enum {
    VMM_STREAM_NONBLOCK = (1 << 0),
} vmmStreamFlags;

/* Conditions of a stream callback; the values are libvirt's. */
typedef enum {
    VMM_STREAM_EVENT_READABLE = (1 << 0),
    VMM_STREAM_EVENT_WRITABLE = (1 << 1),
    VMM_STREAM_EVENT_ERROR = (1 << 2),
    VMM_STREAM_EVENT_HANGUP = (1 << 3),
} vmmStreamEventType;

typedef void (*vmmStreamEventCallback)(vmmStreamPtr stream, int events,
                                       void *opaque);

/* A new, unbound stream on @conn (one reference). */
VMM_EXPORT vmmStreamPtr vmmStreamNew(vmmConnectPtr conn, unsigned int flags);
VMM_EXPORT int vmmStreamRef(vmmStreamPtr stream);
/* Drops a reference; a stream still open is aborted with the last one. */
VMM_EXPORT int vmmStreamFree(vmmStreamPtr stream);

/* Bytes sent (possibly fewer than @nbytes), -2 when a non-blocking stream
 * cannot take any now, -1 on error. */
VMM_EXPORT int vmmStreamSend(vmmStreamPtr stream, const char *data,
                             size_t nbytes);
/* Bytes received, 0 at end of file, -2 when a non-blocking stream has
 * nothing now, -1 on error. */
VMM_EXPORT int vmmStreamRecv(vmmStreamPtr stream, char *data, size_t nbytes);

/* One callback per stream, run from the default event loop
 * (vmmEventRunDefaultImpl) when one of @events holds. */
VMM_EXPORT int vmmStreamEventAddCallback(vmmStreamPtr stream, int events,
                                         vmmStreamEventCallback cb,
                                         void *opaque, vmmFreeCallback ff);
VMM_EXPORT int vmmStreamEventUpdateCallback(vmmStreamPtr stream, int events);
VMM_EXPORT int vmmStreamEventRemoveCallback(vmmStreamPtr stream);

/* Ends a stream after all data went through (the peer confirms) ... */
VMM_EXPORT int vmmStreamFinish(vmmStreamPtr stream);
/* ... or at once, dropping what is in flight. */
VMM_EXPORT int vmmStreamAbort(vmmStreamPtr stream);

typedef enum {
    VMM_DOMAIN_CONSOLE_FORCE = (1 << 0), /* take the console from its user */
    VMM_DOMAIN_CONSOLE_SAFE = (1 << 1),  /* only when access is exclusive */
} vmmDomainConsoleFlags;

/* Binds @st to the console @dev_name of @dom (NULL: the first console or
 * serial port). */
VMM_EXPORT int vmmDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                                    vmmStreamPtr st, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* VMM_STREAM_H */
