/*
 * api_device_test.c: the entry points about devices, statistics and
 * domain capabilities before they reach a driver (invalid handles, NULL
 * arguments, read-only connections, flag masks, the empty slots of the
 * "apitest" driver), and typed parameter lists: building, cutting long
 * names, handing out and freeing.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"
#include "typed_params.h"

/* @fn @args must fail with @fail, raising @code. */
#define CHECK_FAIL(fn, args, fail, code)                                       \
    do {                                                                       \
        g_assert_true(fn args == (fail));                                      \
        g_assert_cmpint(vmmGetLastErrorCode(), ==, (code));                    \
    } while (0)

#define BAD_FLAG (1u << 28)

static void testInvalidHandles(void)
{
    const int E = VMM_ERR_INVALID_DOMAIN;
    vmmDomainBlockStatsStruct bs;
    vmmDomainInterfaceStatsStruct is;
    vmmDomainStatsRecordPtr *recs = NULL;
    vmmDomainPtr none[] = {NULL};

    CHECK_FAIL(vmmDomainAttachDevice, (NULL, "<disk/>"), -1, E);
    CHECK_FAIL(vmmDomainAttachDeviceFlags, (NULL, "<disk/>", 0), -1, E);
    CHECK_FAIL(vmmDomainDetachDevice, (NULL, "<disk/>"), -1, E);
    CHECK_FAIL(vmmDomainDetachDeviceFlags, (NULL, "<disk/>", 0), -1, E);
    CHECK_FAIL(vmmDomainBlockStats, (NULL, "vda", &bs, sizeof(bs)), -1, E);
    CHECK_FAIL(vmmDomainInterfaceStats, (NULL, "vnet0", &is, sizeof(is)), -1,
               E);
    CHECK_FAIL(vmmConnectGetAllDomainStats, (NULL, 0, &recs, 0), -1,
               VMM_ERR_INVALID_CONN);
    CHECK_FAIL(vmmDomainListGetStats, (none, 0, &recs, 0), -1,
               VMM_ERR_INVALID_ARG);
    CHECK_FAIL(vmmConnectGetDomainCapabilities, (NULL, NULL, NULL, NULL,
                                                 NULL, 0),
               NULL, VMM_ERR_INVALID_CONN);
    g_assert_null(recs);
}

static void testChecks(void)
{
    vmmConnectPtr conn = vmmConnectOpen("apitest:///default");
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainPtr doms[] = {dom, NULL};
    vmmDomainBlockStatsStruct bs;
    vmmDomainInterfaceStatsStruct is;
    vmmDomainStatsRecordPtr *recs = NULL;
    const int A = VMM_ERR_INVALID_ARG;
    const int N = VMM_ERR_NO_SUPPORT;

    CHECK_FAIL(vmmDomainAttachDeviceFlags, (dom, NULL, 0), -1, A);
    CHECK_FAIL(vmmDomainAttachDeviceFlags, (dom, "<disk/>", BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainDetachDeviceFlags, (dom, "<disk/>", BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainBlockStats, (dom, NULL, &bs, sizeof(bs)), -1, A);
    CHECK_FAIL(vmmDomainBlockStats, (dom, "vda", NULL, sizeof(bs)), -1, A);
    CHECK_FAIL(vmmDomainBlockStats, (dom, "vda", &bs, sizeof(bs) + 1), -1, A);
    CHECK_FAIL(vmmDomainInterfaceStats, (dom, "x", &is, sizeof(is) + 8), -1,
               A);
    CHECK_FAIL(vmmConnectGetAllDomainStats, (conn, 0, NULL, 0), -1, A);
    CHECK_FAIL(vmmConnectGetAllDomainStats, (conn, 0, &recs, BAD_FLAG), -1,
               A);
    /* An explicit list cannot be filtered. */
    CHECK_FAIL(vmmDomainListGetStats,
               (doms, 0, &recs,
                VMM_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE),
               -1, A);
    CHECK_FAIL(vmmConnectGetDomainCapabilities,
               (conn, NULL, NULL, NULL, NULL, 1), NULL, A);
    /* The fixture driver has none of these slots. */
    CHECK_FAIL(vmmDomainAttachDevice, (dom, "<disk/>"), -1, N);
    CHECK_FAIL(vmmDomainDetachDevice, (dom, "<disk/>"), -1, N);
    CHECK_FAIL(vmmDomainBlockStats, (dom, "vda", &bs, sizeof(bs)), -1, N);
    CHECK_FAIL(vmmDomainInterfaceStats, (dom, "x", &is, sizeof(is)), -1, N);
    CHECK_FAIL(vmmDomainListGetStats, (doms, 0, &recs, 0), -1, N);
    CHECK_FAIL(vmmConnectGetDomainCapabilities,
               (conn, NULL, NULL, NULL, NULL, 0), NULL, N);
    g_assert_null(recs);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testReadOnly(void)
{
    vmmConnectPtr conn = vmmConnectOpenReadOnly("apitest:///default");
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainBlockStatsStruct bs;

    CHECK_FAIL(vmmDomainAttachDevice, (dom, "<disk/>"), -1,
               VMM_ERR_OPERATION_DENIED);
    CHECK_FAIL(vmmDomainDetachDeviceFlags, (dom, "<disk/>", 0), -1,
               VMM_ERR_OPERATION_DENIED);
    /* Reads go through, to the driver's empty slot. */
    CHECK_FAIL(vmmDomainBlockStats, (dom, "vda", &bs, sizeof(bs)), -1,
               VMM_ERR_NO_SUPPORT);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testTypedParams(void)
{
    typedParamList list = {0};
    g_autofree char *longName = g_strnfill(200, 'x');
    vmmTypedParameter *params;
    int n;

    typedParamListAddInt(&list, -3, "state.state");
    typedParamListAddUInt(&list, 7, "vcpu.%d.state", 0);
    typedParamListAddLLong(&list, -5, "a.llong");
    typedParamListAddULLong(&list, 1ULL << 40, "cpu.time");
    typedParamListAddBoolean(&list, true, "a.bool");
    typedParamListAddString(&list, "vda", "block.%u.name", 0u);
    for (int i = 0; i < 40; i++) /* grows past the first allocation */
        typedParamListAddUInt(&list, i, "n.%d", i);
    typedParamListAddString(&list, "v", "%s", longName);

    params = typedParamListSteal(&list, &n);
    g_assert_cmpint(n, ==, 47);
    g_assert_null(list.params);
    g_assert_cmpstr(params[0].field, ==, "state.state");
    g_assert_cmpint(params[0].type, ==, VMM_TYPED_PARAM_INT);
    g_assert_cmpint(params[0].value.i, ==, -3);
    g_assert_cmpstr(params[1].field, ==, "vcpu.0.state");
    g_assert_cmpint(params[1].type, ==, 2);
    g_assert_cmpint(params[3].value.ul, ==, 1ULL << 40);
    g_assert_cmpint(params[4].value.b, ==, 1);
    g_assert_cmpint(params[5].type, ==, 7);
    g_assert_cmpstr(params[5].value.s, ==, "vda");
    g_assert_cmpint(strlen(params[46].field), ==,
                    VMM_TYPED_PARAM_FIELD_LENGTH - 1);
    vmmTypedParamsFree(params, n);
    vmmTypedParamsFree(NULL, 0);

    typedParamListAddString(&list, "s", "x");
    typedParamListClear(&list);
    g_assert_cmpint(list.n, ==, 0);
    vmmDomainStatsRecordListFree(NULL);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/device/invalid-handles", testInvalidHandles);
    g_test_add_func("/api/device/checks", testChecks);
    g_test_add_func("/api/device/read-only", testReadOnly);
    g_test_add_func("/api/device/typed-params", testTypedParams);
    ret = g_test_run();
    vmmResetLastError();
    fixtureCleanup();
    return ret;
}
