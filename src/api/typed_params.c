/*
 * typed_params.c: typed parameter lists and domain statistics records
 * (see typed_params.h), plus the public entry points of domain
 * statistics.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_entry.h"
#include "driver.h"
#include "typed_params.h"

static vmmTypedParameter *typedParamListNext(typedParamList *list, int type,
                                             const char *fmt, va_list ap)
    G_GNUC_PRINTF(3, 0);

static vmmTypedParameter *typedParamListNext(typedParamList *list, int type,
                                             const char *fmt, va_list ap)
{
    vmmTypedParameter *p;

    if (list->n == list->alloc) {
        list->alloc = MAX(16, list->alloc * 2);
        list->params = g_renew(vmmTypedParameter, list->params, list->alloc);
    }
    p = &list->params[list->n++];
    memset(p, 0, sizeof(*p));
    g_vsnprintf(p->field, sizeof(p->field), fmt, ap);
    p->type = type;
    return p;
}

#define TYPED_PARAM_ADD(list, type, member, v)                                 \
    do {                                                                       \
        va_list ap;                                                            \
        va_start(ap, fmt);                                                     \
        typedParamListNext(list, type, fmt, ap)->value.member = (v);           \
        va_end(ap);                                                            \
    } while (0)

void typedParamListAddInt(typedParamList *list, int value, const char *fmt,
                          ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_INT, i, value);
}

void typedParamListAddUInt(typedParamList *list, unsigned int value,
                           const char *fmt, ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_UINT, ui, value);
}

void typedParamListAddLLong(typedParamList *list, long long value,
                            const char *fmt, ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_LLONG, l, value);
}

void typedParamListAddULLong(typedParamList *list, unsigned long long value,
                             const char *fmt, ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_ULLONG, ul, value);
}

void typedParamListAddBoolean(typedParamList *list, bool value,
                              const char *fmt, ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_BOOLEAN, b, value ? 1 : 0);
}

void typedParamListAddString(typedParamList *list, const char *value,
                             const char *fmt, ...)
{
    TYPED_PARAM_ADD(list, VMM_TYPED_PARAM_STRING, s, g_strdup(value));
}

vmmTypedParameter *typedParamListSteal(typedParamList *list, int *ret_n)
{
    vmmTypedParameter *params = list->params;

    *ret_n = list->n;
    memset(list, 0, sizeof(*list));
    return params;
}

void typedParamListClear(typedParamList *list)
{
    vmmTypedParamsFree(list->params, list->n);
    memset(list, 0, sizeof(*list));
}

void vmmTypedParamsFree(vmmTypedParameterPtr params, int nparams)
{
    if (!params)
        return;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VMM_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
    }
    g_free(params);
}

void vmmDomainStatsRecordListFree(vmmDomainStatsRecordPtr *stats)
{
    if (!stats)
        return;
    for (vmmDomainStatsRecordPtr *r = stats; *r; r++) {
        vmmDomainFree((*r)->dom);
        vmmTypedParamsFree((*r)->params, (*r)->nparams);
        g_free(*r);
    }
    g_free(stats);
}

/* Flags that filter the domain list, meaningless with an explicit one. */
#define API_STATS_FILTER_FLAGS                                                 \
    (VMM_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |                                \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE |                              \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT |                            \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT |                             \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING |                               \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |                                \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF |                               \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_OTHER)
#define API_STATS_OTHER_FLAGS                                                  \
    (VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |                                \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |                               \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)

int vmmConnectGetAllDomainStats(vmmConnectPtr conn, unsigned int stats,
                                vmmDomainStatsRecordPtr **retStats,
                                unsigned int flags)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, retStats, -1);
    API_CHECK_FLAGS(conn, flags,
                    API_STATS_FILTER_FLAGS | API_STATS_OTHER_FLAGS, -1);
    API_RETURN_INT(conn, connectGetAllDomainStats, conn, NULL, 0, stats,
                   retStats, flags);
}

int vmmDomainListGetStats(vmmDomainPtr *doms, unsigned int stats,
                          vmmDomainStatsRecordPtr **retStats,
                          unsigned int flags)
{
    vmmConnectPtr conn;
    unsigned int n = 0;

    errorReset();
    if (!doms || !doms[0]) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                    "doms in %s must hold at least one domain", __func__);
        return -1;
    }
    API_ENTER_DOMAIN(doms[0], -1);
    conn = doms[0]->conn;
    for (; doms[n]; n++) {
        if (!apiCheckDomain(doms[n], __func__))
            return -1;
        if (doms[n]->conn != conn) {
            errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                        "domains in %s must share one connection", __func__);
            apiDispatchError(conn);
            return -1;
        }
    }
    API_CHECK_NONNULL(conn, retStats, -1);
    API_CHECK_FLAGS(conn, flags, API_STATS_OTHER_FLAGS, -1);
    API_RETURN_INT(conn, connectGetAllDomainStats, conn, doms, n, stats,
                   retStats, flags);
}
