/*
 * vmmd_remote_domain.c: the domain listing handlers (see
 * vmmd_remote_domain.h). Each list is bounded by REMOTE_DOMAIN_LIST_MAX
 * in both directions: what a client asks for and what is answered.
 */
#include <config.h>

#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_domain.h"

static int remoteCheckListMax(const char *what, int n)
{
    if (n > REMOTE_DOMAIN_LIST_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many domains in %s: %d, the limit is %d", what, n,
                    REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (n < 0) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INVALID_ARG,
                    "negative count for %s", what);
        return -1;
    }
    return 0;
}

int vmmdRemoteConnectListDomains(vmmdClient *client, vmmConnectPtr conn,
                                 void *argsp, void *retp)
{
    remote_connect_list_domains_args *args = argsp;
    remote_connect_list_domains_ret *ret = retp;
    g_autofree int *ids = NULL;
    int n;

    if (remoteCheckListMax("maxids", args->maxids) < 0)
        return -1;
    ids = g_new0(int, MAX(args->maxids, 1));
    if ((n = vmmConnectListDomains(conn, ids, args->maxids)) < 0)
        return -1;
    ret->ids.ids_len = n;
    ret->ids.ids_val = g_steal_pointer(&ids);
    return 0;
}

int vmmdRemoteConnectListDefinedDomains(vmmdClient *client, vmmConnectPtr conn,
                                        void *argsp, void *retp)
{
    remote_connect_list_defined_domains_args *args = argsp;
    remote_connect_list_defined_domains_ret *ret = retp;
    char **names;
    int n;

    if (remoteCheckListMax("maxnames", args->maxnames) < 0)
        return -1;
    names = g_new0(char *, MAX(args->maxnames, 1));
    if ((n = vmmConnectListDefinedDomains(conn, names, args->maxnames)) < 0) {
        g_free(names);
        return -1;
    }
    /* The API's strings are malloc'ed like glib's, so xdr_free (free)
     * releases them with the array. */
    ret->names.names_len = n;
    ret->names.names_val = names;
    return 0;
}
