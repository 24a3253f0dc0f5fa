/*
 * vmmd_remote_connect.h: the remote program's state for one client (the
 * hypervisor connection it opened on the daemon's side, its event and
 * close callbacks) and the hand-written handlers of the connection
 * procedures: CONNECT_OPEN, CONNECT_CLOSE, AUTH_LIST, AUTH_POLKIT,
 * CONNECT_SUPPORTS_FEATURE, CONNECT_IS_SECURE and the close callback.
 *
 * Handlers run in worker threads with the signature of
 * vmmdRemoteHandler (vmmd_dispatch.h): @conn is the client's connection
 * (a reference the dispatcher holds for the call) or NULL for the
 * procedures that run before it is open. They return 0, or -1 with the
 * thread's last error set.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "vmm_remote_protocol.h"
#include "vmmd_client.h"

/* The features CONNECT_SUPPORTS_FEATURE knows, libvirt's numbers. */
typedef enum {
    VMMD_FEATURE_TYPED_PARAM_STRING = 9,
    VMMD_FEATURE_PROGRAM_KEEPALIVE = 10,
    VMMD_FEATURE_REMOTE_EVENT_CALLBACK = 14,
    VMMD_FEATURE_REMOTE_CLOSE_CALLBACK = 15,
    VMMD_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
} vmmdRemoteFeature;

typedef struct {
    vmmdClient *client;   /* the owner (no reference: it holds us) */
    GMutex lock;          /* the fields below */
    vmmConnectPtr conn;   /* NULL until CONNECT_OPEN */
    bool readonly;        /* conn was opened read-only */
    bool closeCallback;   /* registered on conn */
    bool authenticated;   /* polkit said yes (vmmd_auth.h) */
    GPtrArray *callbacks; /* vmmdRemoteEventCallback *, not owned */
} vmmdRemoteClient;

/* Gives @client its remote program state; the state lets go of the
 * connection when the client is torn down. */
void vmmdRemoteClientAttach(vmmdClient *client);

vmmdRemoteClient *vmmdRemoteClientGet(vmmdClient *client);

/* The client's connection with a reference for the caller
 * (vmmConnectClose it), or NULL when none is open. Sets no error. */
vmmConnectPtr vmmdRemoteGetConn(vmmdClient *client);

/* Whether writes are refused: read-only socket or read-only open. */
bool vmmdRemoteIsReadOnly(vmmdClient *client);

int vmmdRemoteConnectOpen(vmmdClient *client, vmmConnectPtr conn, void *args,
                          void *ret);
int vmmdRemoteConnectClose(vmmdClient *client, vmmConnectPtr conn, void *args,
                           void *ret);
int vmmdRemoteAuthList(vmmdClient *client, vmmConnectPtr conn, void *args,
                       void *ret);
int vmmdRemoteAuthPolkit(vmmdClient *client, vmmConnectPtr conn, void *args,
                         void *ret);
int vmmdRemoteConnectSupportsFeature(vmmdClient *client, vmmConnectPtr conn,
                                     void *args, void *ret);
int vmmdRemoteConnectIsSecure(vmmdClient *client, vmmConnectPtr conn,
                              void *args, void *ret);
int vmmdRemoteConnectRegisterCloseCallback(vmmdClient *client,
                                           vmmConnectPtr conn, void *args,
                                           void *ret);
int vmmdRemoteConnectUnregisterCloseCallback(vmmdClient *client,
                                             vmmConnectPtr conn, void *args,
                                             void *ret);

/* Encodes an event message of the remote program (@proc, payload @data
 * through @filter) and queues it to @client. */
void vmmdRemoteSendEvent(vmmdClient *client, int proc, xdrproc_t filter,
                         const void *data);
