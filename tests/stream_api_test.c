/*
 * stream_api_test.c: the public stream calls (libvmm_stream.c) over the
 * generic fd stream (fd_stream.c), through a small driver of its own
 * ("streamtest:///default") whose one domain's console is a socketpair:
 * the test holds the guest's end. Covers the entry checks, blocking and
 * non-blocking Send / Recv, end of file, callbacks from the default
 * event loop, finish / abort, and a console taken away (fdStreamKill).
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "datatypes.h"
#include "fd_stream.h"
#include "util_error.h"
#include "util_event.h"

#define STREAM_DOM "con1"

/* The guest's end of the last console opened; -1 when none. */
static int guestFd = -1;

static vmmDrvOpenStatus streamTestOpen(vmmConnectPtr conn, const vmmURI *uri,
                                       unsigned int flags)
{
    if (!g_str_equal(uri->driver, "streamtest"))
        return VMM_DRV_OPEN_DECLINED;
    return VMM_DRV_OPEN_SUCCESS;
}

static int streamTestClose(vmmConnectPtr conn)
{
    return 0;
}

static vmmDomainPtr streamTestLookup(vmmConnectPtr conn, const char *name)
{
    unsigned char uuid[VMM_UUID_BUFLEN] = {1};

    if (!g_str_equal(name, STREAM_DOM)) {
        errorReport(VMM_FROM_TEST, VMM_ERR_NO_DOMAIN, "no domain '%s'", name);
        return NULL;
    }
    return domainHandleNew(conn, name, uuid, 1);
}

static int streamTestOpenConsole(vmmDomainPtr dom, const char *dev_name,
                                 vmmStreamPtr st, unsigned int flags)
{
    int sv[2];

    if (dev_name && !g_str_equal(dev_name, "serial0")) {
        errorReport(VMM_FROM_TEST, VMM_ERR_INTERNAL_ERROR,
                    "cannot find character device %s", dev_name);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        errorReportSystem(VMM_FROM_TEST, errno, "socketpair");
        return -1;
    }
    if (guestFd >= 0)
        close(guestFd);
    guestFd = sv[1];
    return fdStreamOpen(st, sv[0]);
}

static const vmmHypervisorDriver streamTestDriver = {
    .name = "StreamTest",
    .connectOpen = streamTestOpen,
    .connectClose = streamTestClose,
    .domainLookupByName = streamTestLookup,
    .domainOpenConsole = streamTestOpenConsole,
};

void libvmmRegisterDrivers(void)
{
    driverRegisterHypervisor(&streamTestDriver);
}

typedef struct {
    vmmConnectPtr conn;
    vmmDomainPtr dom;
} Fixture;

static void fixtureSetUp(Fixture *f, gconstpointer data)
{
    f->conn = vmmConnectOpen("streamtest:///default");
    g_assert_nonnull(f->conn);
    f->dom = vmmDomainLookupByName(f->conn, STREAM_DOM);
    g_assert_nonnull(f->dom);
}

static void fixtureTearDown(Fixture *f, gconstpointer data)
{
    vmmDomainFree(f->dom);
    vmmConnectClose(f->conn);
    if (guestFd >= 0)
        close(guestFd);
    guestFd = -1;
    vmmResetLastError();
}

static vmmStreamPtr openConsole(Fixture *f, unsigned int streamFlags)
{
    vmmStreamPtr st = vmmStreamNew(f->conn, streamFlags);

    g_assert_nonnull(st);
    g_assert_cmpint(vmmDomainOpenConsole(f->dom, NULL, st, 0), ==, 0);
    g_assert_cmpint(guestFd, >=, 0);
    return st;
}

static void testChecks(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st;
    char buf[8];

    g_assert_null(vmmStreamNew(f->conn, 0x100));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmStreamSend(NULL, "x", 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_STREAM);

    st = vmmStreamNew(f->conn, 0);
    /* Unbound: nothing can go through it yet. */
    g_assert_cmpint(vmmStreamRecv(st, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmDomainOpenConsole(f->dom, NULL, st, 4), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmDomainOpenConsole(f->dom, "nope", st, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INTERNAL_ERROR);
    g_assert_cmpint(vmmDomainOpenConsole(f->dom, "serial0", st, 0), ==, 0);
    g_assert_cmpint(vmmDomainOpenConsole(f->dom, NULL, st, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmStreamFinish(st), ==, 0);
    g_assert_cmpint(vmmStreamSend(st, "x", 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    /* Aborting a closed stream is harmless. */
    g_assert_cmpint(vmmStreamAbort(st), ==, 0);
    g_assert_cmpint(vmmStreamFree(st), ==, 0);
}

static void testBlocking(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st = openConsole(f, 0);
    char buf[64] = "";

    g_assert_cmpint(vmmStreamSend(st, "ping\n", 5), ==, 5);
    g_assert_cmpint(read(guestFd, buf, sizeof(buf)), ==, 5);
    g_assert_cmpmem(buf, 5, "ping\n", 5);
    g_assert_cmpint(write(guestFd, "echo: ping\n", 11), ==, 11);
    g_assert_cmpint(vmmStreamRecv(st, buf, sizeof(buf)), ==, 11);
    g_assert_cmpmem(buf, 11, "echo: ping\n", 11);
    close(guestFd);
    guestFd = -1;
    g_assert_cmpint(vmmStreamRecv(st, buf, sizeof(buf)), ==, 0);
    g_assert_cmpint(vmmStreamFinish(st), ==, 0);
    vmmStreamFree(st);
}

static void testNonBlocking(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st = openConsole(f, VMM_STREAM_NONBLOCK);
    g_autofree char *big = g_malloc0(1024 * 1024);
    char buf[16];
    int sent = 0;
    int n;

    g_assert_cmpint(vmmStreamRecv(st, buf, sizeof(buf)), ==, -2);
    /* The socket's buffer fills up: the stream says so, never blocks. */
    while ((n = vmmStreamSend(st, big, 1024 * 1024)) > 0)
        sent += n;
    g_assert_cmpint(n, ==, -2);
    g_assert_cmpint(sent, >, 0);
    g_assert_cmpint(vmmStreamAbort(st), ==, 0);
    vmmStreamFree(st);
}

typedef struct {
    GString *got;
    int events;
    gboolean freed;
    gboolean done;
} CallbackLog;

static void logEvent(vmmStreamPtr st, int events, void *opaque)
{
    CallbackLog *log = opaque;
    char buf[64];
    int n;

    log->events |= events;
    while ((n = vmmStreamRecv(st, buf, sizeof(buf))) > 0)
        g_string_append_len(log->got, buf, n);
    if (n == 0 || n == -1)
        log->done = TRUE;
    if (n == -1)
        vmmResetLastError();
}

static void logFree(void *opaque)
{
    ((CallbackLog *)opaque)->freed = TRUE;
}

static void runUntil(gboolean *flag)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!*flag && g_get_monotonic_time() < deadline)
        vmmEventRunDefaultImpl();
    g_assert_true(*flag);
}

static void testCallback(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st = openConsole(f, VMM_STREAM_NONBLOCK);
    CallbackLog log = {.got = g_string_new(NULL)};

    g_assert_cmpint(vmmStreamEventAddCallback(st, VMM_STREAM_EVENT_READABLE,
                                              logEvent, &log, logFree),
                    ==, 0);
    /* One callback per stream. */
    g_assert_cmpint(vmmStreamEventAddCallback(st, VMM_STREAM_EVENT_READABLE,
                                              logEvent, &log, NULL),
                    ==, -1);
    g_assert_cmpint(write(guestFd, "VMM-TEST-GUEST-READY\n", 21), ==, 21);
    close(guestFd);
    guestFd = -1;
    runUntil(&log.done);
    g_assert_cmpstr(log.got->str, ==, "VMM-TEST-GUEST-READY\n");
    g_assert_true(log.events & VMM_STREAM_EVENT_READABLE);
    g_assert_cmpint(vmmStreamEventRemoveCallback(st), ==, 0);
    runUntil(&log.freed);
    g_assert_cmpint(vmmStreamFinish(st), ==, 0);
    vmmStreamFree(st);
    g_string_free(log.got, TRUE);
}

static void testKill(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st = openConsole(f, VMM_STREAM_NONBLOCK);
    CallbackLog log = {.got = g_string_new(NULL)};
    char buf[8];

    g_assert_true(fdStreamIsActive(st));
    g_assert_cmpint(vmmStreamEventAddCallback(st, VMM_STREAM_EVENT_READABLE,
                                              logEvent, &log, NULL),
                    ==, 0);
    fdStreamKill(st, "the console was taken by another session");
    g_assert_false(fdStreamIsActive(st));
    /* The user is woken although the guest said nothing. */
    runUntil(&log.done);
    g_assert_cmpint(vmmStreamRecv(st, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "taken by another"));
    g_assert_cmpint(vmmStreamAbort(st), ==, 0);
    vmmStreamFree(st);
    g_string_free(log.got, TRUE);
}

static void testFreeOpen(Fixture *f, gconstpointer data)
{
    vmmStreamPtr st = openConsole(f, 0);
    char c;

    /* The last reference aborts: the guest sees its end close. */
    g_assert_cmpint(vmmStreamRef(st), ==, 0);
    g_assert_cmpint(vmmStreamFree(st), ==, 0);
    g_assert_cmpint(vmmStreamFree(st), ==, 0);
    g_assert_cmpint(read(guestFd, &c, 1), ==, 0);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    vmmEventRegisterDefaultImpl();
#define ADD(path, fn)                                                          \
    g_test_add("/stream/" path, Fixture, NULL, fixtureSetUp, fn,               \
               fixtureTearDown)
    ADD("checks", testChecks);
    ADD("blocking", testBlocking);
    ADD("nonblocking", testNonBlocking);
    ADD("callback", testCallback);
    ADD("kill", testKill);
    ADD("free-open", testFreeOpen);
    ret = g_test_run();
    /* Let removed watches and timers release what they hold. */
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(NULL, FALSE);
    return ret;
}
