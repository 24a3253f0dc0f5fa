/*
 * remote_proto_test.c: the client connection of src/remote
 * (remote_client.c, remote_transport.c) below the driver, against a real
 * vmmd on a private --root: the opening calls, a procedure the daemon
 * does not know coming back as VMM_ERR_NO_SUPPORT, calls of several
 * threads in flight at once, and keepalive both ways (our PINGs answered
 * by the daemon, the daemon's answered by us, a silent daemon given up).
 * Skipped when daemon/vmmd is not built.
 */
#include <config.h>

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "driver.h"
#include "remote_client.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"

#define WAIT_SECONDS 10
#define THREADS 8
#define ITERATIONS 200

/* Not a procedure of the remote program (libvirt's number 57 is unused). */
#define PROC_UNKNOWN 57

/* The registry wants the library's driver list; this test needs none. */
void libvmmRegisterDrivers(void)
{
}

typedef struct {
    char *root;
    GPid pid;
    remoteClient *client;
} protoFixture;

static char *vmmdPath(void)
{
    const char *builddir = g_getenv("VMM_TEST_BUILDDIR");

    return g_build_filename(builddir ? builddir : "tests", "..", "daemon",
                            "vmmd", NULL);
}

static void removeTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (!dir) {
        g_unlink(path);
        return;
    }
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            removeTree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

static int call(remoteClient *client, int proc, xdrproc_t argsFilter,
                const void *args, xdrproc_t retFilter, void *ret)
{
    return remoteClientCallProc(client, proc, argsFilter, args, retFilter, ret);
}

/* CONNECT_OPEN of test:///default, as the driver sends it. */
static void openTestDefault(remoteClient *client)
{
    char *name = (char *)"test:///default";
    remote_connect_open_args args = {.name = &name, .flags = 0};

    if (call(client, REMOTE_PROC_CONNECT_OPEN,
             (xdrproc_t)xdr_remote_connect_open_args, &args, RPC_XDR_VOID,
             NULL) < 0)
        g_error("CONNECT_OPEN failed: %s", errorGetLast()->message);
}

/* The daemon checks on its clients every second, giving up after one
 * unanswered PING, so a client that does not answer is dropped at once. */
static void writeConfig(const char *root)
{
    g_autofree char *dir = g_build_filename(root, "etc", "vmm", NULL);
    g_autofree char *file = g_build_filename(dir, "vmmd.conf", NULL);
    g_autoptr(GError) err = NULL;

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    g_file_set_contents(file, "keepalive_interval = 1\nkeepalive_count = 1\n",
                        -1, &err);
    g_assert_no_error(err);
}

/* Runs in the child before exec: a test that dies (an assertion aborts
 * it before teardown) takes its daemon along. */
static void dieWithParent(gpointer unused)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static void protoSetUp(protoFixture *fx, gconstpointer data)
{
    g_autofree char *vmmd = vmmdPath();
    g_autofree char *sock = NULL;
    g_autoptr(GError) err = NULL;
    remoteTransport *transport = NULL;
    char *argv[] = {vmmd, (char *)"--root", NULL, NULL};
    bool up = false;

    if (!g_file_test(vmmd, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("daemon/vmmd is not built");
        return;
    }
    fx->root = g_dir_make_tmp("remote-proto-XXXXXX", &err);
    g_assert_no_error(err);
    argv[2] = fx->root;
    writeConfig(fx->root);
    g_assert_true(
        g_spawn_async(NULL, argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      dieWithParent, NULL, &fx->pid, &err));
    sock = g_build_filename(fx->root, "run", "vmm", "vmm-sock", NULL);
    for (int i = 0; i < WAIT_SECONDS * 100 && !up; i++) {
        up = g_file_test(sock, G_FILE_TEST_EXISTS);
        if (!up)
            g_usleep(10 * 1000);
    }
    g_assert_true(up);
    g_assert_cmpint(remoteTransportOpenUnix(sock, &transport), ==, 0);
    g_assert_cmpint(remoteClientNew(transport, NULL, NULL, NULL, &fx->client),
                    ==, 0);
    openTestDefault(fx->client);
}

static void protoTearDown(protoFixture *fx, gconstpointer data)
{
    int status;

    remoteClientFree(fx->client);
    if (fx->pid) {
        kill(fx->pid, SIGKILL);
        waitpid(fx->pid, &status, 0);
    }
    if (fx->root)
        removeTree(fx->root);
    g_free(fx->root);
}

static void testUnknownProcedure(protoFixture *fx, gconstpointer data)
{
    remote_connect_get_hostname_ret ret = {0};
    const vmmError *err;

    if (!fx->client)
        return;
    g_assert_cmpint(
        call(fx->client, PROC_UNKNOWN, RPC_XDR_VOID, NULL, RPC_XDR_VOID, NULL),
        ==, -1);
    err = errorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VMM_ERR_NO_SUPPORT);
    errorReset();
    /* The connection goes on. */
    g_assert_true(remoteClientIsAlive(fx->client));
    g_assert_cmpint(call(fx->client, REMOTE_PROC_CONNECT_GET_HOSTNAME,
                         RPC_XDR_VOID, NULL,
                         (xdrproc_t)xdr_remote_connect_get_hostname_ret, &ret),
                    ==, 0);
    g_assert_nonnull(ret.hostname);
    xdr_free((xdrproc_t)xdr_remote_connect_get_hostname_ret, (char *)&ret);
}

static gpointer lookupWorker(gpointer opaque)
{
    remoteClient *client = opaque;
    gint failures = 0;

    for (int i = 0; i < ITERATIONS; i++) {
        remote_domain_lookup_by_name_args args = {.name = (char *)"test"};
        remote_domain_lookup_by_name_ret ret = {0};

        if (call(client, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                 (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args,
                 (xdrproc_t)xdr_remote_domain_lookup_by_name_ret, &ret) < 0 ||
            strcmp(ret.dom.name, "test") != 0)
            failures++;
        xdr_free((xdrproc_t)xdr_remote_domain_lookup_by_name_ret, (char *)&ret);
    }
    return GINT_TO_POINTER(failures);
}

static void testPipelined(protoFixture *fx, gconstpointer data)
{
    GThread *threads[THREADS];

    if (!fx->client)
        return;
    for (int i = 0; i < THREADS; i++)
        threads[i] = g_thread_new("lookup", lookupWorker, fx->client);
    for (int i = 0; i < THREADS; i++)
        g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, 0);
}

/* With a one-second interval and no traffic, the client PINGs; only the
 * daemon's PONGs keep it from giving up after the second miss. */
static void testKeepalive(protoFixture *fx, gconstpointer data)
{
    if (!fx->client)
        return;
    remoteClientEnableKeepalive(fx->client, 1, 1);
    g_usleep(3500 * 1000);
    g_assert_true(remoteClientIsAlive(fx->client));
}

/* Once told we speak keepalive, the daemon PINGs us every second of
 * silence and drops us after one miss: only our PONGs keep us alive. */
static void testKeepaliveAnswered(protoFixture *fx, gconstpointer data)
{
    remote_connect_supports_feature_args args = {.feature = 10};
    remote_connect_supports_feature_ret ret = {0};

    if (!fx->client)
        return;
    g_assert_cmpint(
        call(fx->client, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
             (xdrproc_t)xdr_remote_connect_supports_feature_args, &args,
             (xdrproc_t)xdr_remote_connect_supports_feature_ret, &ret),
        ==, 0);
    g_assert_cmpint(ret.supported, ==, 1);
    g_usleep(3500 * 1000);
    g_assert_true(remoteClientIsAlive(fx->client));
    g_assert_cmpint(
        call(fx->client, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
             (xdrproc_t)xdr_remote_connect_supports_feature_args, &args,
             (xdrproc_t)xdr_remote_connect_supports_feature_ret, &ret),
        ==, 0);
}

/* A daemon that stops reading (SIGSTOP) is given up on after the
 * unanswered PINGs, and calls then fail instead of hanging. */
static void testKeepaliveTimeout(protoFixture *fx, gconstpointer data)
{
    bool alive = true;

    if (!fx->client)
        return;
    kill(fx->pid, SIGSTOP);
    remoteClientEnableKeepalive(fx->client, 1, 1);
    for (int i = 0; i < WAIT_SECONDS * 10 && alive; i++) {
        g_usleep(100 * 1000);
        alive = remoteClientIsAlive(fx->client);
    }
    kill(fx->pid, SIGCONT);
    g_assert_false(alive);
    g_assert_cmpint(call(fx->client, REMOTE_PROC_CONNECT_GET_HOSTNAME,
                         RPC_XDR_VOID, NULL, RPC_XDR_VOID, NULL),
                    ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_RPC);
    errorReset();
}

#define ADD_PROTO_TEST(name, func)                                             \
    g_test_add(name, protoFixture, NULL, protoSetUp, func, protoTearDown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD_PROTO_TEST("/remote/proto/unknown-procedure", testUnknownProcedure);
    ADD_PROTO_TEST("/remote/proto/pipelined", testPipelined);
    ADD_PROTO_TEST("/remote/proto/keepalive", testKeepalive);
    ADD_PROTO_TEST("/remote/proto/keepalive-answered", testKeepaliveAnswered);
    ADD_PROTO_TEST("/remote/proto/keepalive-timeout", testKeepaliveTimeout);
    return g_test_run();
}
