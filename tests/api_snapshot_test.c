/*
 * api_snapshot_test.c: the checks of the snapshot entry points before they
 * reach a driver (invalid handles, NULL arguments, read-only connections,
 * flag masks, the empty slots of the "apitest" driver) and the snapshot
 * handle itself: its name, its domain and its references.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"

/* @fn @args must fail with @fail, raising @code with a message that names
 * @fn. */
#define CHECK_FAIL(fn, args, fail, code)                                       \
    do {                                                                       \
        g_assert_true(fn args == (fail));                                      \
        g_assert_cmpint(vmmGetLastErrorCode(), ==, (code));                    \
        if (!strstr(vmmGetLastErrorMessage(), #fn))                            \
            g_error("'%s' does not name %s", vmmGetLastErrorMessage(), #fn);   \
    } while (0)

#define BAD_FLAG (1u << 31)

static vmmConnectPtr openFixture(unsigned int flags)
{
    vmmConnectPtr conn = vmmConnectOpenFlags("apitest:///default", flags);

    g_assert_nonnull(conn);
    return conn;
}

static void testInvalidHandles(void)
{
    const int E = VMM_ERR_INVALID_DOMAIN_SNAPSHOT;
    vmmDomainSnapshotPtr *snaps = NULL;

    CHECK_FAIL(vmmDomainSnapshotGetName, (NULL), NULL, E);
    CHECK_FAIL(vmmDomainSnapshotGetDomain, (NULL), NULL, E);
    CHECK_FAIL(vmmDomainSnapshotRef, (NULL), -1, E);
    CHECK_FAIL(vmmDomainSnapshotFree, (NULL), -1, E);
    CHECK_FAIL(vmmDomainSnapshotGetXMLDesc, (NULL, 0), NULL, E);
    CHECK_FAIL(vmmDomainRevertToSnapshot, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainSnapshotDelete, (NULL, 0), -1, E);
    g_assert_cmpint(vmmGetLastErrorDomain(), ==, VMM_FROM_DOMAIN_SNAPSHOT);

    CHECK_FAIL(vmmDomainSnapshotCreateXML, (NULL, "<domainsnapshot/>", 0), NULL,
               VMM_ERR_INVALID_DOMAIN);
    CHECK_FAIL(vmmDomainListAllSnapshots, (NULL, &snaps, 0), -1,
               VMM_ERR_INVALID_DOMAIN);
    CHECK_FAIL(vmmDomainSnapshotLookupByName, (NULL, "s", 0), NULL,
               VMM_ERR_INVALID_DOMAIN);
    CHECK_FAIL(vmmDomainHasCurrentSnapshot, (NULL, 0), -1,
               VMM_ERR_INVALID_DOMAIN);
    CHECK_FAIL(vmmDomainSnapshotCurrent, (NULL, 0), NULL,
               VMM_ERR_INVALID_DOMAIN);
    g_assert_null(snaps);
}

static void testHandle(void)
{
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainSnapshotPtr snap = snapshotHandleNew(dom, "s1");

    g_assert_cmpstr(vmmDomainSnapshotGetName(snap), ==, "s1");
    g_assert_true(vmmDomainSnapshotGetDomain(snap) == dom);
    g_assert_cmpint(vmmDomainSnapshotRef(snap), ==, 0);
    g_assert_cmpint(vmmDomainSnapshotFree(snap), ==, 0);
    /* The snapshot keeps its domain handle alive. */
    vmmDomainFree(dom);
    g_assert_cmpstr(vmmDomainGetName(vmmDomainSnapshotGetDomain(snap)), ==,
                    FIXTURE_DOM);
    g_assert_cmpint(vmmDomainSnapshotFree(snap), ==, 0);
    vmmConnectClose(conn);
}

static void testChecks(void)
{
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainSnapshotPtr snap = snapshotHandleNew(dom, "s1");
    const int A = VMM_ERR_INVALID_ARG;

    CHECK_FAIL(vmmDomainSnapshotCreateXML, (dom, NULL, 0), NULL, A);
    CHECK_FAIL(vmmDomainSnapshotLookupByName, (dom, NULL, 0), NULL, A);
    CHECK_FAIL(vmmDomainSnapshotCreateXML, (dom, "<domainsnapshot/>", BAD_FLAG),
               NULL, A);
    CHECK_FAIL(vmmDomainListAllSnapshots, (dom, NULL, BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainSnapshotGetXMLDesc, (snap, BAD_FLAG), NULL, A);
    CHECK_FAIL(vmmDomainRevertToSnapshot, (snap, BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainRevertToSnapshot,
               (snap, VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                          VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED),
               -1, A);
    CHECK_FAIL(vmmDomainSnapshotDelete, (snap, BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainHasCurrentSnapshot, (dom, BAD_FLAG), -1, A);
    CHECK_FAIL(vmmDomainSnapshotCurrent, (dom, BAD_FLAG), NULL, A);
    /* The fixture driver has no snapshots. */
    CHECK_FAIL(vmmDomainSnapshotLookupByName, (dom, "s1", 0), NULL,
               VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmDomainListAllSnapshots, (dom, NULL, 0), -1,
               VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmDomainRevertToSnapshot, (snap, 0), -1, VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmDomainSnapshotCurrent, (dom, 0), NULL, VMM_ERR_NO_SUPPORT);
    vmmDomainSnapshotFree(snap);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testReadOnly(void)
{
    const int E = VMM_ERR_OPERATION_DENIED;
    vmmConnectPtr conn = openFixture(VMM_CONNECT_RO);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainSnapshotPtr snap = snapshotHandleNew(dom, "s1");

    CHECK_FAIL(vmmDomainSnapshotCreateXML, (dom, "<domainsnapshot/>", 0), NULL,
               E);
    CHECK_FAIL(vmmDomainRevertToSnapshot, (snap, 0), -1, E);
    CHECK_FAIL(vmmDomainSnapshotDelete, (snap, 0), -1, E);
    /* Reads go through, to the driver's empty slot. */
    CHECK_FAIL(vmmDomainSnapshotGetXMLDesc, (snap, 0), NULL,
               VMM_ERR_NO_SUPPORT);
    vmmDomainSnapshotFree(snap);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/snapshot/invalid-handles", testInvalidHandles);
    g_test_add_func("/api/snapshot/handle", testHandle);
    g_test_add_func("/api/snapshot/checks", testChecks);
    g_test_add_func("/api/snapshot/read-only", testReadOnly);
    ret = g_test_run();
    vmmResetLastError();
    fixtureCleanup();
    return ret;
}
