/*
 * vmmd_access.c: the per-call access checks against polkit (see
 * vmmd_access.h). It reads the rules of the generated procedure tables;
 * asking polkit itself is vmmd_auth.c's.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_log.h"
#include "util_uuid.h"
#include "util_xml.h"
#include "vmm_remote_protocol.h"
#include "vmmd_access.h"
#include "vmmd_auth.h"

VMM_LOG_INIT("daemon.access");

/* The wire form before the payload: the length word and the six words
 * of the header. */
#define ACCESS_PAYLOAD_START (4 + 6 * 4)

/* Set once by main() before any client exists. */
static bool accessPolkit;

/* The flags named in the .x rule conditions, with libvirt's values. */
typedef struct {
    const char *name;
    unsigned int value;
} accessFlag;

static const accessFlag accessFlags[] = {
    {"VIR_DOMAIN_AFFECT_LIVE", VMM_DOMAIN_AFFECT_LIVE},
    {"VIR_DOMAIN_AFFECT_CONFIG", VMM_DOMAIN_AFFECT_CONFIG},
    {"VIR_DOMAIN_XML_SECURE", VMM_DOMAIN_XML_SECURE},
    {"VIR_DOMAIN_XML_MIGRATABLE", VMM_DOMAIN_XML_MIGRATABLE},
    {"VIR_DOMAIN_VCPU_GUEST", VMM_DOMAIN_VCPU_GUEST},
    {"VIR_DOMAIN_SHUTDOWN_GUEST_AGENT", VMM_DOMAIN_SHUTDOWN_GUEST_AGENT},
    {"VIR_DOMAIN_REBOOT_GUEST_AGENT", VMM_DOMAIN_REBOOT_GUEST_AGENT},
    /* No public network API yet: libvirt's numbers. */
    {"VIR_NETWORK_UPDATE_AFFECT_LIVE", 1u << 0},
    {"VIR_NETWORK_UPDATE_AFFECT_CONFIG", 1u << 1},
};

/* The kinds of objects rules name, besides "connect". @prefix starts the
 * names of the procedures acting on one; @xmlRoot is the root element of
 * its definition (NULL: not supported for *_CREATE_XML / *_DEFINE_XML). */
typedef enum {
    ACCESS_OBJECT_DOMAIN,
    ACCESS_OBJECT_NETWORK,
    ACCESS_OBJECT_STORAGE_POOL,
    ACCESS_OBJECT_STORAGE_VOL,
} accessObjectType;

typedef struct {
    accessObjectType type;
    const char *name;
    const char *prefix;
    const char *xmlRoot;
} accessObjectKind;

static const accessObjectKind accessKinds[] = {
    {ACCESS_OBJECT_DOMAIN, "domain", "DOMAIN_", "domain"},
    {ACCESS_OBJECT_NETWORK, "network", "NETWORK_", "network"},
    {ACCESS_OBJECT_STORAGE_POOL, "storage_pool", "STORAGE_POOL_", "pool"},
    {ACCESS_OBJECT_STORAGE_VOL, "storage_vol", "STORAGE_VOL_", NULL},
};

/* Procedures named after their object whose first argument is not that
 * object (a file, or the pool a volume is made in): their rules cannot
 * be checked and are refused. tests/polkit_acl_test.py checks that the
 * .x has no other such procedure. */
static const int accessUnlocatable[] = {
    REMOTE_PROC_DOMAIN_RESTORE,
    REMOTE_PROC_STORAGE_VOL_CREATE_XML_FROM,
    REMOTE_PROC_DOMAIN_RESTORE_FLAGS,
    REMOTE_PROC_DOMAIN_SAVE_IMAGE_GET_XML_DESC,
};

/* Procedures whose argument (or, for the lookup, answer) starts with a
 * snapshot: the domain of a "domain" rule is the snapshot's. The
 * snapshot's domain follows its name (remote_nonnull_domain_snapshot). */
static const int accessSnapshotFirst[] = {
    REMOTE_PROC_DOMAIN_SNAPSHOT_GET_XML_DESC,
    REMOTE_PROC_DOMAIN_SNAPSHOT_LOOKUP_BY_NAME,
    REMOTE_PROC_DOMAIN_REVERT_TO_SNAPSHOT,
    REMOTE_PROC_DOMAIN_SNAPSHOT_DELETE,
};

/* @object (the call's arguments or answer), or the domain within when it
 * starts with a snapshot. */
static const void *accessObjectAt(const rpcProcInfo *info, const void *object)
{
    for (size_t i = 0; i < G_N_ELEMENTS(accessSnapshotFirst); i++) {
        if (accessSnapshotFirst[i] == info->number)
            return &((const remote_nonnull_domain_snapshot *)object)->dom;
    }
    return object;
}

/* Where the object of a rule is found. */
typedef enum {
    ACCESS_SOURCE_NONE,    /* a connect rule: no object */
    ACCESS_SOURCE_ARGS,    /* the first argument */
    ACCESS_SOURCE_XML,     /* the definition, the first argument */
    ACCESS_SOURCE_RET,     /* the answer's first member */
    ACCESS_SOURCE_UNKNOWN, /* nowhere: refused */
} accessSource;

/* One parsed rule "object:perm[:condition]". */
typedef struct {
    char **parts;
    const char *object;
    const char *perm;
    const char *condition; /* NULL when none */
} accessRule;

static void accessRuleClear(accessRule *rule)
{
    g_strfreev(rule->parts);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(accessRule, accessRuleClear)

/* Who is asking, and through which driver. */
typedef struct {
    pid_t pid;
    uid_t uid;
    const char *driver; /* NULL before CONNECT_OPEN */
} accessCaller;

void vmmdAccessConfigure(const char *const *drivers)
{
    accessPolkit = drivers && g_strv_contains(drivers, "polkit");
}

bool vmmdAccessEnabled(void)
{
    return accessPolkit;
}

char *vmmdAccessActionName(const char *object, const char *perm)
{
    char *action =
        g_strdup_printf("%s.%s.%s", VMMD_ACCESS_ACTION_PREFIX, object, perm);

    g_strdelimit(action, "_", '-');
    return action;
}

/* ---- Rules ---- */

static int accessRuleParse(const char *text, accessRule *ret_rule)
{
    char **parts = g_strsplit(text, ":", 3);

    if (g_strv_length(parts) < 2) {
        g_strfreev(parts);
        errorReportInternal(VMM_FROM_ACCESS, "malformed access rule '%s'",
                            text);
        return -1;
    }
    ret_rule->parts = parts;
    ret_rule->object = parts[0];
    ret_rule->perm = parts[1];
    ret_rule->condition = parts[2];
    return 0;
}

/* "A|B": the rule applies when A or B is set; "!A|B": when neither is.
 * A flag this table does not know makes the rule apply: when in doubt,
 * check. */
static bool accessConditionHolds(const char *condition, unsigned int flags)
{
    bool negate = condition[0] == '!';
    g_auto(GStrv) names = g_strsplit(condition + (negate ? 1 : 0), "|", -1);
    unsigned int mask = 0;

    for (char **n = names; *n; n++) {
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(accessFlags); i++) {
            if (g_str_equal(*n, accessFlags[i].name))
                break;
        }
        if (i == G_N_ELEMENTS(accessFlags)) {
            VMM_WARN("unknown flag '%s' in access rule: applying it", *n);
            return true;
        }
        mask |= accessFlags[i].value;
    }
    return negate ? (flags & mask) == 0 : (flags & mask) != 0;
}

/* The call's flags: by the protocol's convention the last argument of
 * every procedure whose rules have conditions, so the payload's last
 * four bytes (XDR, big-endian). */
static int accessCallFlags(const rpcMessage *msg, unsigned int *ret_flags)
{
    const unsigned char *p;

    if (msg->bufferLength < ACCESS_PAYLOAD_START + 4) {
        errorReport(VMM_FROM_ACCESS, VMM_ERR_ACCESS_DENIED,
                    "procedure %d has no flags to check access with",
                    msg->header.proc);
        return -1;
    }
    p = (const unsigned char *)msg->buffer + msg->bufferLength - 4;
    *ret_flags = (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
                 (unsigned int)p[2] << 8 | (unsigned int)p[3];
    return 0;
}

static const accessObjectKind *accessKindFind(const char *object)
{
    for (size_t i = 0; i < G_N_ELEMENTS(accessKinds); i++) {
        if (g_str_equal(accessKinds[i].name, object))
            return &accessKinds[i];
    }
    return NULL;
}

/* Where the object of a rule on @object is found in a call of @info, and
 * its kind (NULL for "connect"). An object kind this file does not know
 * is nowhere: its rule is refused. */
static accessSource accessObjectSource(const rpcProcInfo *info,
                                       const char *object,
                                       const accessObjectKind **ret_kind)
{
    const accessObjectKind *kind = accessKindFind(object);
    const char *rest;

    *ret_kind = kind;
    if (!kind)
        return g_str_equal(object, "connect") ? ACCESS_SOURCE_NONE
                                              : ACCESS_SOURCE_UNKNOWN;
    if (!g_str_has_prefix(info->name, kind->prefix))
        return ACCESS_SOURCE_UNKNOWN;
    for (size_t i = 0; i < G_N_ELEMENTS(accessUnlocatable); i++) {
        if (accessUnlocatable[i] == info->number)
            return ACCESS_SOURCE_UNKNOWN;
    }
    rest = info->name + strlen(kind->prefix);
    if (strstr(rest, "LOOKUP_BY_"))
        return ACCESS_SOURCE_RET;
    if (g_str_equal(rest, "CREATE_XML") || g_str_equal(rest, "DEFINE_XML") ||
        g_str_equal(rest, "DEFINE_XML_FLAGS"))
        return kind->xmlRoot ? ACCESS_SOURCE_XML : ACCESS_SOURCE_UNKNOWN;
    return ACCESS_SOURCE_ARGS;
}

/* ---- Details polkit gets ---- */

static void accessDetailAdd(GPtrArray *details, const char *key,
                            const char *value)
{
    g_ptr_array_add(details, g_strdup(key));
    g_ptr_array_add(details, g_strdup(value ? value : ""));
}

static void accessDetailAddUUID(GPtrArray *details, const char *key,
                                const char *uuid)
{
    char str[VMM_UUID_STRING_BUFLEN];

    uuidFormat((const unsigned char *)uuid, str);
    accessDetailAdd(details, key, str);
}

/* @object points to the remote_nonnull_* of @kind. */
static void accessDetailsOfObject(GPtrArray *details,
                                  const accessObjectKind *kind,
                                  const void *object)
{
    switch (kind->type) {
    case ACCESS_OBJECT_DOMAIN: {
        const remote_nonnull_domain *dom = object;

        accessDetailAdd(details, "domain_name", dom->name);
        accessDetailAddUUID(details, "domain_uuid", dom->uuid);
        break;
    }
    case ACCESS_OBJECT_NETWORK: {
        const remote_nonnull_network *net = object;

        accessDetailAdd(details, "network_name", net->name);
        accessDetailAddUUID(details, "network_uuid", net->uuid);
        break;
    }
    case ACCESS_OBJECT_STORAGE_POOL: {
        const remote_nonnull_storage_pool *pool = object;

        accessDetailAdd(details, "pool_name", pool->name);
        accessDetailAddUUID(details, "pool_uuid", pool->uuid);
        break;
    }
    case ACCESS_OBJECT_STORAGE_VOL: {
        const remote_nonnull_storage_vol *vol = object;

        accessDetailAdd(details, "pool_name", vol->pool);
        accessDetailAdd(details, "vol_name", vol->name);
        accessDetailAdd(details, "vol_key", vol->key);
        break;
    }
    }
}

/* The object a definition describes: its <name> and <uuid> (empty when
 * the definition has none and the driver will make one up). */
static int accessDetailsOfXML(GPtrArray *details, const accessObjectKind *kind,
                              const char *xml)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autofree char *name = NULL;
    g_autofree char *uuid = NULL;
    g_autofree char *nameKey = NULL;
    g_autofree char *uuidKey = NULL;
    /* libvirt's detail names: pool_name, not storage_pool_name. */
    const char *keyPrefix =
        kind->type == ACCESS_OBJECT_STORAGE_POOL ? "pool" : kind->name;

    if (!xml || !(doc = vxmlParseString(xml, "definition", kind->xmlRoot)) ||
        !(ctxt = vxmlNewXPathContext(doc)))
        return -1;
    name = vxmlXPathString(ctxt, "string(./name)");
    uuid = vxmlXPathString(ctxt, "string(./uuid)");
    nameKey = g_strdup_printf("%s_name", keyPrefix);
    uuidKey = g_strdup_printf("%s_uuid", keyPrefix);
    accessDetailAdd(details, nameKey, name);
    accessDetailAdd(details, uuidKey, uuid);
    return 0;
}

/* A printable name of the object in @details for messages. */
static const char *accessDetailsObjectName(GPtrArray *details)
{
    /* [connect_driver, driver] come first when present. */
    for (guint i = 0; i + 1 < details->len; i += 2) {
        if (g_str_has_suffix(details->pdata[i], "_name"))
            return details->pdata[i + 1];
    }
    return NULL;
}

/* ---- Asking ---- */

static int accessCallerGet(vmmdClient *client, vmmConnectPtr conn,
                           accessCaller *ret_caller)
{
    gid_t gid;

    vmmdClientGetPeer(client, &ret_caller->pid, &ret_caller->uid, &gid);
    if (ret_caller->pid <= 0) {
        errorReport(VMM_FROM_ACCESS, VMM_ERR_ACCESS_DENIED,
                    "polkit access control needs a local client process");
        return -1;
    }
    ret_caller->driver = conn ? vmmConnectGetType(conn) : NULL;
    return 0;
}

static GPtrArray *accessDetailsNew(const accessCaller *caller)
{
    GPtrArray *details = g_ptr_array_new_with_free_func(g_free);

    if (caller->driver)
        accessDetailAdd(details, "connect_driver", caller->driver);
    return details;
}

/* Asks polkit about @object:@perm with @details. A denial is reported as
 * VMM_ERR_ACCESS_DENIED naming the action and object; polkit being
 * unreachable keeps vmmd_auth.c's error. */
static vmmdAuthPolkitResult accessAsk(const accessCaller *caller,
                                      const char *object, const char *perm,
                                      GPtrArray *details)
{
    g_autofree char *action = vmmdAccessActionName(object, perm);
    const char *name = accessDetailsObjectName(details);
    vmmdAuthPolkitResult res;

    g_ptr_array_add(details, NULL);
    res = vmmdAuthPolkitCheck(caller->pid, caller->uid, action,
                              (const char *const *)details->pdata, false);
    g_ptr_array_remove_index(details, details->len - 1);
    VMM_DEBUG("pid %lld uid %lld: %s%s%s: %s", (long long)caller->pid,
              (long long)caller->uid, action, name ? " on " : "",
              name ? name : "",
              res == VMMD_AUTH_POLKIT_ALLOWED
                  ? "allowed"
                  : (res == VMMD_AUTH_POLKIT_DENIED ? "denied" : "error"));
    if (res != VMMD_AUTH_POLKIT_DENIED)
        return res;
    errorReset();
    if (name)
        errorReport(VMM_FROM_ACCESS, VMM_ERR_ACCESS_DENIED,
                    "polkit does not allow '%s' on %s '%s'", action, object,
                    name);
    else
        errorReport(VMM_FROM_ACCESS, VMM_ERR_ACCESS_DENIED,
                    "polkit does not allow '%s'", action);
    return res;
}

static int accessAskRequired(const accessCaller *caller, const char *object,
                             const char *perm, GPtrArray *details)
{
    return accessAsk(caller, object, perm, details) == VMMD_AUTH_POLKIT_ALLOWED
               ? 0
               : -1;
}

/* One rule of a call, before its handler. */
static int accessCheckRule(const accessCaller *caller, const rpcProcInfo *info,
                           const rpcMessage *msg, const void *args,
                           const char *text)
{
    g_auto(accessRule) rule = {0};
    g_autoptr(GPtrArray) details = NULL;
    const accessObjectKind *kind;
    unsigned int flags;

    if (accessRuleParse(text, &rule) < 0)
        return -1;
    if (rule.condition) {
        if (accessCallFlags(msg, &flags) < 0)
            return -1;
        if (!accessConditionHolds(rule.condition, flags))
            return 0;
    }
    details = accessDetailsNew(caller);
    switch (accessObjectSource(info, rule.object, &kind)) {
    case ACCESS_SOURCE_NONE:
        break;
    case ACCESS_SOURCE_RET:
        return 0; /* once the object is found */
    case ACCESS_SOURCE_ARGS:
        accessDetailsOfObject(details, kind, accessObjectAt(info, args));
        break;
    case ACCESS_SOURCE_XML:
        if (accessDetailsOfXML(details, kind, *(char *const *)args) < 0)
            return -1;
        break;
    case ACCESS_SOURCE_UNKNOWN:
        errorReport(VMM_FROM_ACCESS, VMM_ERR_ACCESS_DENIED,
                    "vmmd cannot tell which %s %s acts on, so cannot "
                    "check '%s'",
                    rule.object, info->name, text);
        return -1;
    }
    return accessAskRequired(caller, rule.object, rule.perm, details);
}

int vmmdAccessCheckCall(vmmdClient *client, vmmConnectPtr conn,
                        const rpcProcInfo *info, const rpcMessage *msg,
                        const void *args)
{
    accessCaller caller;

    if (!accessPolkit || !info->acl || !info->acl[0])
        return 0;
    if (accessCallerGet(client, conn, &caller) < 0)
        return -1;
    for (const char *const *r = info->acl; *r; r++) {
        if (accessCheckRule(&caller, info, msg, args, *r) < 0)
            return -1;
    }
    return 0;
}

/* ---- After the call ---- */

/* The rules whose object the answer names (lookups). */
static int accessCheckAnswer(const accessCaller *caller,
                             const rpcProcInfo *info, const void *ret)
{
    for (const char *const *r = info->acl; *r; r++) {
        g_auto(accessRule) rule = {0};
        g_autoptr(GPtrArray) details = NULL;
        const accessObjectKind *kind;

        if (accessRuleParse(*r, &rule) < 0)
            return -1;
        /* Lookups carry no flags, so no condition to evaluate. */
        if (accessObjectSource(info, rule.object, &kind) != ACCESS_SOURCE_RET)
            continue;
        details = accessDetailsNew(caller);
        accessDetailsOfObject(details, kind, accessObjectAt(info, ret));
        if (accessAskRequired(caller, rule.object, rule.perm, details) < 0)
            return -1;
    }
    return 0;
}

/* Whether the caller may see @dom under the filter @rule: 1 yes, 0 no,
 * -1 when polkit cannot be asked (the error is set). */
static int accessFilterDomain(const accessCaller *caller,
                              const accessRule *rule,
                              const remote_nonnull_domain *dom)
{
    g_autoptr(GPtrArray) details = accessDetailsNew(caller);
    vmmdAuthPolkitResult res;

    accessDetailsOfObject(details, &accessKinds[ACCESS_OBJECT_DOMAIN], dom);
    res = accessAsk(caller, rule->object, rule->perm, details);
    if (res == VMMD_AUTH_POLKIT_DENIED)
        errorReset();
    return res;
}

/* Decides for each of @n domains whether the caller may see it, before
 * anything is dropped, so that a failure half-way leaves the answer
 * whole. @dom_at gives the i-th domain in the shape the checks take
 * (false: it is gone meanwhile, so not shown). */
typedef bool (*accessDomainAt)(vmmConnectPtr conn, const void *ret, u_int i,
                               remote_nonnull_domain *ret_dom);

static int accessFilterDecide(const accessCaller *caller, vmmConnectPtr conn,
                              const accessRule *rule, const void *ret, u_int n,
                              accessDomainAt domainAt, bool **ret_keep)
{
    g_autofree bool *keep = g_new0(bool, MAX(n, 1));

    for (u_int i = 0; i < n; i++) {
        remote_nonnull_domain dom = {0};
        int rc = 0;

        if (domainAt(conn, ret, i, &dom))
            rc = accessFilterDomain(caller, rule, &dom);
        g_free(dom.name);
        if (rc < 0)
            return -1;
        keep[i] = rc > 0;
    }
    *ret_keep = g_steal_pointer(&keep);
    return 0;
}

/* A domain named by id or name, as list answers give them. */
static bool accessDomainResolve(vmmConnectPtr conn, int id, const char *name,
                                remote_nonnull_domain *ret_dom)
{
    vmmDomainPtr dom = name ? vmmDomainLookupByName(conn, name)
                            : vmmDomainLookupByID(conn, id);

    if (!dom) {
        errorReset();
        return false;
    }
    ret_dom->name = g_strdup(vmmDomainGetName(dom));
    vmmDomainGetUUID(dom, (unsigned char *)ret_dom->uuid);
    ret_dom->id = id;
    vmmDomainFree(dom);
    return true;
}

static bool accessAllDomainsAt(vmmConnectPtr conn, const void *ret, u_int i,
                               remote_nonnull_domain *ret_dom)
{
    const remote_connect_list_all_domains_ret *list = ret;

    *ret_dom = list->domains.domains_val[i];
    ret_dom->name = g_strdup(ret_dom->name);
    return true;
}

static bool accessDomainIdAt(vmmConnectPtr conn, const void *ret, u_int i,
                             remote_nonnull_domain *ret_dom)
{
    const remote_connect_list_domains_ret *list = ret;

    return accessDomainResolve(conn, list->ids.ids_val[i], NULL, ret_dom);
}

static bool accessDomainNameAt(vmmConnectPtr conn, const void *ret, u_int i,
                               remote_nonnull_domain *ret_dom)
{
    const remote_connect_list_defined_domains_ret *list = ret;

    return accessDomainResolve(conn, -1, list->names.names_val[i], ret_dom);
}

static int accessFilterAllDomains(const accessCaller *caller,
                                  vmmConnectPtr conn, const accessRule *rule,
                                  remote_connect_list_all_domains_ret *ret)
{
    g_autofree bool *keep = NULL;
    u_int kept = 0;

    if (accessFilterDecide(caller, conn, rule, ret, ret->domains.domains_len,
                           accessAllDomainsAt, &keep) < 0)
        return -1;
    for (u_int i = 0; i < ret->domains.domains_len; i++) {
        remote_nonnull_domain *dom = &ret->domains.domains_val[i];

        if (keep[i])
            ret->domains.domains_val[kept++] = *dom;
        else
            xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)dom);
    }
    ret->domains.domains_len = kept;
    ret->ret = kept;
    return 0;
}

static int accessFilterDomainIds(const accessCaller *caller, vmmConnectPtr conn,
                                 const accessRule *rule,
                                 remote_connect_list_domains_ret *ret)
{
    g_autofree bool *keep = NULL;
    u_int kept = 0;

    if (accessFilterDecide(caller, conn, rule, ret, ret->ids.ids_len,
                           accessDomainIdAt, &keep) < 0)
        return -1;
    for (u_int i = 0; i < ret->ids.ids_len; i++) {
        if (keep[i])
            ret->ids.ids_val[kept++] = ret->ids.ids_val[i];
    }
    ret->ids.ids_len = kept;
    return 0;
}

static int accessFilterDomainNames(const accessCaller *caller,
                                   vmmConnectPtr conn, const accessRule *rule,
                                   remote_connect_list_defined_domains_ret *ret)
{
    g_autofree bool *keep = NULL;
    u_int kept = 0;

    if (accessFilterDecide(caller, conn, rule, ret, ret->names.names_len,
                           accessDomainNameAt, &keep) < 0)
        return -1;
    for (u_int i = 0; i < ret->names.names_len; i++) {
        char **name = &ret->names.names_val[i];

        if (keep[i])
            ret->names.names_val[kept++] = *name;
        else
            xdr_free((xdrproc_t)xdr_remote_nonnull_string, (char *)name);
    }
    ret->names.names_len = kept;
    return 0;
}

/* A count answers how many domains (@flags: active or inactive ones) the
 * caller may see: they are listed again and checked one by one. */
static int accessFilterCount(const accessCaller *caller, vmmConnectPtr conn,
                             const accessRule *rule, unsigned int flags,
                             int *num)
{
    vmmDomainPtr *doms = NULL;
    int n = vmmConnectListAllDomains(conn, &doms, flags);
    int visible = 0;
    int rc = 0;

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        remote_nonnull_domain dom = {0};

        if (rc == 0) {
            dom.name = g_strdup(vmmDomainGetName(doms[i]));
            vmmDomainGetUUID(doms[i], (unsigned char *)dom.uuid);
            dom.id = (int)vmmDomainGetID(doms[i]);
            rc = accessFilterDomain(caller, rule, &dom);
            visible += rc > 0;
            rc = MIN(rc, 0);
            g_free(dom.name);
        }
        vmmDomainFree(doms[i]);
    }
    g_free(doms);
    if (rc < 0)
        return -1;
    *num = visible;
    return 0;
}

static int accessFilterList(const accessCaller *caller, vmmConnectPtr conn,
                            const rpcProcInfo *info, const char *text,
                            void *ret)
{
    g_auto(accessRule) rule = {0};

    if (accessRuleParse(text, &rule) < 0)
        return -1;
    if (!g_str_equal(rule.object, "domain"))
        return 0;
    switch (info->number) {
    case REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS:
        return accessFilterAllDomains(caller, conn, &rule, ret);
    case REMOTE_PROC_CONNECT_LIST_DOMAINS:
        return accessFilterDomainIds(caller, conn, &rule, ret);
    case REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS:
        return accessFilterDomainNames(caller, conn, &rule, ret);
    case REMOTE_PROC_CONNECT_NUM_OF_DOMAINS:
        return accessFilterCount(
            caller, conn, &rule, VMM_CONNECT_LIST_DOMAINS_ACTIVE,
            &((remote_connect_num_of_domains_ret *)ret)->num);
    case REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS:
        return accessFilterCount(
            caller, conn, &rule, VMM_CONNECT_LIST_DOMAINS_INACTIVE,
            &((remote_connect_num_of_defined_domains_ret *)ret)->num);
    default:
        /* Event registrations are not filtered yet. */
        return 0;
    }
}

int vmmdAccessCheckResult(vmmdClient *client, vmmConnectPtr conn,
                          const rpcProcInfo *info, void *ret)
{
    accessCaller caller;

    if (!accessPolkit)
        return 0;
    if ((!info->acl || !info->acl[0]) &&
        (!info->aclFilter || !info->aclFilter[0]))
        return 0;
    if (accessCallerGet(client, conn, &caller) < 0)
        return -1;
    if (info->acl && accessCheckAnswer(&caller, info, ret) < 0)
        return -1;
    for (const char *const *f = info->aclFilter; f && *f; f++) {
        if (accessFilterList(&caller, conn, info, *f, ret) < 0)
            return -1;
    }
    return 0;
}
