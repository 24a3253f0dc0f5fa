/*
 * kvm_process_test.c: boots the tiny test guest (tests/guest/) under TCG
 * through kvmProcessStart, from a domain XML with a kernel, an initrd and
 * a serial console going to a file; waits for the guest's marker, then
 * presses the ACPI power button (system_powerdown) and expects the
 * SHUTDOWN event, and QEMU gone after kvmProcessStop. Also: the status and
 * log files, a QEMU that fails at once, a missing emulator.
 *
 * Skips when qemu-system-x86_64 is absent or the guest cannot be built
 * (no access to the Debian mirror on a first run). QEMU is killed in
 * teardown whatever happened. Prints the measured times as TAP comments.
 */
#include <config.h>

#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util_command.h"
#include "util_error.h"
#include "domain_conf.h"
#include "kvm_process.h"
#include "kvm_testlib.h"

#define MARKER "VMM-TEST-GUEST-READY"

typedef struct {
    char *qemu;
    char *guestDir;
    char *dir;
    char *runDir;
    char *logDir;
    char *serial;
    kvmProcess *proc;
    pid_t orphan; /* a QEMU no kvmProcess holds, killed in teardown */

    GMutex lock;
    GCond cond;
    gint64 shutdownAt;    /* monotonic time of the SHUTDOWN event, 0 = none */
    bool shutdownByGuest; /* its data said "guest": true */
    bool eof;
} Fixture;

static char *guestDir;      /* built once for all tests */
static const char *skipWhy; /* why the QEMU tests skip, or NULL */

static void buildGuest(void)
{
    g_autofree char *script = NULL;
    g_autoptr(cmdDef) cmd = NULL;
    char *out = NULL;
    int status = 0;

    if (!(script = g_build_filename(g_getenv("VMM_TEST_SRCDIR") ?: "tests",
                                    "guest", "build-guest.sh", NULL)))
        return;
    cmd = cmdNew("/bin/sh");
    cmdAddArg(cmd, script);
    cmdSetOutputBuffer(cmd, &out);
    if (cmdRun(cmd, &status) < 0 || status != 0) {
        g_free(out);
        errorReset();
        skipWhy = "the test guest cannot be built (no Debian mirror?)";
        return;
    }
    guestDir = g_strdup(g_strstrip(out));
    g_free(out);
}

static void onEvent(kvmMonitor *mon G_GNUC_UNUSED, const char *name,
                    const jsonValue *data, long long seconds G_GNUC_UNUSED,
                    unsigned int micros G_GNUC_UNUSED, void *opaque)
{
    Fixture *f = opaque;
    bool guest = false;

    if (!g_str_equal(name, "SHUTDOWN"))
        return;
    /* A shutdown the guest asked for, not one caused by a signal. */
    if (data && jsonObjectGetBoolean(data, "guest", &guest) < 0)
        guest = false;
    g_mutex_lock(&f->lock);
    if (!f->shutdownAt) {
        f->shutdownAt = g_get_monotonic_time();
        f->shutdownByGuest = guest;
    }
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

static void onEOF(kvmMonitor *mon G_GNUC_UNUSED, bool error G_GNUC_UNUSED,
                  void *opaque)
{
    Fixture *f = opaque;

    g_mutex_lock(&f->lock);
    f->eof = true;
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

static const kvmMonitorCallbacks callbacks = {
    .event = onEvent,
    .eof = onEOF,
};

static void setup(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_mutex_init(&f->lock);
    g_cond_init(&f->cond);
    f->qemu = kvmTestFindQemu();
    f->dir = g_dir_make_tmp("vmm-kvm-process-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->runDir = g_build_filename(f->dir, "run", NULL);
    f->logDir = g_build_filename(f->dir, "log", NULL);
    f->serial = g_build_filename(f->dir, "serial.log", NULL);
}

static void removeTree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_DIR))
            removeTree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}

static void teardown(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    if (f->proc) {
        kvmTestUnregisterPid(kvmProcessGetPid(f->proc));
        kvmProcessStop(f->proc, 0);
    }
    kvmProcessFree(f->proc);
    kvmTestKill(f->orphan);
    removeTree(f->dir);
    g_free(f->qemu);
    g_free(f->dir);
    g_free(f->runDir);
    g_free(f->logDir);
    g_free(f->serial);
    g_cond_clear(&f->cond);
    g_mutex_clear(&f->lock);
}

static domainDef *guestDefWithSerial(Fixture *f, const char *emulator,
                                     const char *serialXML)
{
    g_autofree char *xml =
        g_strdup_printf("<domain type='qemu'>\n"
                        "  <name>vmm-test-guest</name>\n"
                        "  <memory unit='MiB'>128</memory>\n"
                        "  <vcpu>1</vcpu>\n"
                        "  <os>\n"
                        "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                        "    <kernel>%s/vmlinuz</kernel>\n"
                        "    <initrd>%s/initrd.gz</initrd>\n"
                        "    <cmdline>console=ttyS0 quiet</cmdline>\n"
                        "  </os>\n"
                        "  <features><acpi/></features>\n"
                        "  <devices>\n"
                        "    <emulator>%s</emulator>\n"
                        "%s"
                        "  </devices>\n"
                        "</domain>\n",
                        guestDir ? guestDir : "/nonexistent",
                        guestDir ? guestDir : "", emulator, serialXML);
    domainDef *def = domainDefParseString(xml, 0);

    if (!def)
        g_error("guest XML: %s", errorGetLast()->message);
    return def;
}

/* The guest with its console in the file f->serial. */
static domainDef *guestDef(Fixture *f, const char *emulator)
{
    g_autofree char *serial = g_strdup_printf("    <serial type='file'>\n"
                                              "      <source path='%s'/>\n"
                                              "      <target port='0'/>\n"
                                              "    </serial>\n",
                                              f->serial);

    return guestDefWithSerial(f, emulator, serial);
}

static kvmProcessConfig config(Fixture *f)
{
    kvmProcessConfig cfg = {
        .runDir = f->runDir,
        .logDir = f->logDir,
        .monitorTimeoutMs = 30000,
    };
    return cfg;
}

static bool serialHas(Fixture *f, const char *text)
{
    g_autofree char *data = NULL;

    return g_file_get_contents(f->serial, &data, NULL, NULL) &&
           strstr(data, text);
}

static void checkStatusFile(Fixture *f)
{
    g_autofree char *status = NULL;
    g_autofree char *pid =
        g_strdup_printf("pid='%d'", (int)kvmProcessGetPid(f->proc));

    g_assert_true(g_file_get_contents(kvmProcessGetStatusPath(f->proc), &status,
                                      NULL, NULL));
    g_assert_nonnull(strstr(status, pid));
    g_assert_nonnull(strstr(status, ".monitor' type='unix'/>"));
    g_assert_nonnull(strstr(status, "<domain type='qemu' id='7'>"));
}

static void testBootPowerdown(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(domainDef) def = NULL;
    g_autofree char *status = NULL;
    g_autofree char *log = NULL;
    kvmProcessConfig cfg = config(f);
    gint64 start, ready, pressed, deadline;
    g_autofree char *statusPath = NULL;

    if (!f->qemu || skipWhy) {
        g_test_skip(skipWhy ? skipWhy : "qemu-system-x86_64 not found");
        return;
    }
    def = guestDef(f, f->qemu);
    start = g_get_monotonic_time();
    if (kvmProcessStart(&cfg, def, 7, &callbacks, f, &f->proc) < 0)
        g_error("kvmProcessStart: %s", errorGetLast()->message);
    g_assert_cmpint(kvmProcessGetPid(f->proc), >, 0);
    kvmTestRegisterPid(kvmProcessGetPid(f->proc));
    checkStatusFile(f);
    g_assert_true(
        g_file_get_contents(kvmProcessGetLogPath(f->proc), &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "-name guest=vmm-test-guest"));

    deadline = start + 120 * G_TIME_SPAN_SECOND;
    while (!serialHas(f, MARKER) && g_get_monotonic_time() < deadline)
        g_usleep(20 * 1000);
    g_assert_true(serialHas(f, MARKER));
    ready = g_get_monotonic_time();
    g_test_message("boot to marker: %.3f s", (ready - start) / 1e6);

    g_assert_cmpint(
        kvmMonitorQueryStatus(kvmProcessGetMonitor(f->proc), &status, NULL), ==,
        0);
    g_assert_cmpstr(status, ==, "running");

    pressed = g_get_monotonic_time();
    g_assert_cmpint(kvmMonitorCommand(kvmProcessGetMonitor(f->proc),
                                      "system_powerdown", NULL, NULL),
                    ==, 0);
    deadline = pressed + 60 * G_TIME_SPAN_SECOND;
    g_mutex_lock(&f->lock);
    while (!f->shutdownAt && g_cond_wait_until(&f->cond, &f->lock, deadline))
        ;
    g_mutex_unlock(&f->lock);
    g_assert_cmpint(f->shutdownAt, >, 0);
    g_assert_true(f->shutdownByGuest);
    g_test_message("system_powerdown to SHUTDOWN event: %.3f s",
                   (f->shutdownAt - pressed) / 1e6);

    /* -no-shutdown keeps QEMU up; the driver ends it, as on_poweroff
     * destroy would. */
    statusPath = g_strdup(kvmProcessGetStatusPath(f->proc));
    kvmTestUnregisterPid(kvmProcessGetPid(f->proc));
    kvmProcessStop(f->proc, 5000);
    g_test_message("SHUTDOWN event to QEMU reaped: %.3f s",
                   (g_get_monotonic_time() - f->shutdownAt) / 1e6);
    g_assert_cmpint(kvmProcessGetPid(f->proc), ==, 0);
    g_assert_null(kvmProcessGetMonitor(f->proc));
    g_assert_false(g_file_test(statusPath, G_FILE_TEST_EXISTS));
    g_assert_true(f->eof);
    kvmProcessStop(f->proc, 0); /* twice is harmless */
}

/* Reads from @fd until @buf holds @text, for up to @timeoutMs. */
static bool readUntil(int fd, GString *buf, const char *text, int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    while (!strstr(buf->str, text)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left = (int)((deadline - g_get_monotonic_time()) / 1000);
        char chunk[256];
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0)
            return false;
        if ((n = read(fd, chunk, sizeof(chunk))) <= 0)
            return false;
        g_string_append_len(buf, chunk, n);
    }
    return true;
}

static void testSerialEcho(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autofree char *sock = g_build_filename(f->dir, "console.sock", NULL);
    g_autofree char *serial =
        g_strdup_printf("    <serial type='unix'>\n"
                        "      <source mode='bind' path='%s'/>\n"
                        "      <target port='0'/>\n"
                        "    </serial>\n",
                        sock);
    g_autoptr(domainDef) def = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;
    kvmProcessConfig cfg = config(f);
    const char *line = "hello, vmm\n";

    if (!f->qemu || skipWhy) {
        g_test_skip(skipWhy ? skipWhy : "qemu-system-x86_64 not found");
        return;
    }
    def = guestDefWithSerial(f, f->qemu, serial);
    if (kvmProcessStart(&cfg, def, 8, &callbacks, f, &f->proc) < 0)
        g_error("kvmProcessStart: %s", errorGetLast()->message);
    kvmTestRegisterPid(kvmProcessGetPid(f->proc));
    g_assert_cmpuint(strlen(sock), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, sock);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_true(readUntil(fd, buf, MARKER, 120000));
    g_assert_cmpint(write(fd, line, strlen(line)), ==, (gssize)strlen(line));
    g_assert_true(readUntil(fd, buf, "echo: hello, vmm", 30000));
    close(fd);
    kvmTestUnregisterPid(kvmProcessGetPid(f->proc));
    kvmProcessStop(f->proc, 5000);
}

static void testAttach(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(domainDef) def = NULL;
    g_autoptr(domainDef) live = NULL;
    g_autofree char *status = NULL;
    g_autofree char *statusPath = NULL;
    g_autofree char *text = NULL;
    g_autofree char *fake = NULL;
    kvmProcessConfig cfg = config(f);
    kvmProcess *first = NULL;
    pid_t pid;
    int id = 0;

    if (!f->qemu || skipWhy) {
        g_test_skip(skipWhy ? skipWhy : "qemu-system-x86_64 not found");
        return;
    }
    def = guestDef(f, f->qemu);
    if (kvmProcessStart(&cfg, def, 7, NULL, NULL, &first) < 0)
        g_error("kvmProcessStart: %s", errorGetLast()->message);
    pid = kvmProcessGetPid(first);
    kvmTestRegisterPid(pid);
    statusPath = g_strdup(kvmProcessGetStatusPath(first));
    /* The daemon goes away; QEMU stays. */
    kvmProcessFree(first);
    f->orphan = pid;

    if (kvmProcessAttach(&cfg, "vmm-test-guest", &callbacks, f, &f->proc, &live,
                         &id) < 0)
        g_error("kvmProcessAttach: %s", errorGetLast()->message);
    f->orphan = 0;
    g_assert_cmpint(kvmProcessGetPid(f->proc), ==, pid);
    g_assert_cmpint(id, ==, 7);
    g_assert_cmpstr(live->name, ==, "vmm-test-guest");
    g_assert_cmpuint(live->memory, ==, 128 * 1024);
    g_assert_cmpint(
        kvmMonitorQueryStatus(kvmProcessGetMonitor(f->proc), &status, NULL), ==,
        0);
    g_assert_cmpstr(status, ==, "running");

    /* A status file whose pid is not that guest's QEMU is stale. */
    g_assert_true(g_file_get_contents(statusPath, &text, NULL, NULL));
    kvmTestUnregisterPid(kvmProcessGetPid(f->proc));
    kvmProcessStop(f->proc, 5000);
    g_assert_false(g_file_test(statusPath, G_FILE_TEST_EXISTS));
    errorReset();
    g_assert_cmpint(kvmProcessAttach(&cfg, "vmm-test-guest", NULL, NULL, &first,
                                     &live, &id),
                    ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_NO_DOMAIN);

    {
        g_autofree char *pidAttr = g_strdup_printf("pid='%d'", (int)pid);
        g_autofree char *ourAttr = g_strdup_printf("pid='%d'", (int)getpid());
        g_auto(GStrv) parts = g_strsplit(text, pidAttr, 2);

        fake = g_strjoinv(ourAttr, parts);
    }
    g_assert_true(g_file_set_contents(statusPath, fake, -1, NULL));
    errorReset();
    g_assert_cmpint(kvmProcessAttach(&cfg, "vmm-test-guest", NULL, NULL, &first,
                                     &live, &id),
                    ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_OPERATION_FAILED);
    g_assert_false(g_file_test(statusPath, G_FILE_TEST_EXISTS));
}

static void testQemuFails(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(domainDef) def = NULL;
    kvmProcessConfig cfg = config(f);
    const char *msg;

    if (!f->qemu) {
        g_test_skip("qemu-system-x86_64 not found");
        return;
    }
    def = guestDef(f, f->qemu);
    /* QEMU refuses a kernel that does not exist, at once. */
    g_free(def->os.kernel);
    def->os.kernel = g_strdup("/nonexistent/vmlinuz");
    errorReset();
    g_assert_cmpint(kvmProcessStart(&cfg, def, 1, NULL, NULL, &f->proc), ==,
                    -1);
    g_assert_null(f->proc);
    msg = errorGetLast()->message;
    g_assert_nonnull(strstr(msg, "QEMU exited while starting"));
    g_assert_nonnull(strstr(msg, "/nonexistent/vmlinuz"));
}

static void testNoEmulator(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(domainDef) def = guestDef(f, "/nonexistent/qemu-system-x86_64");
    kvmProcessConfig cfg = config(f);

    errorReset();
    g_assert_cmpint(kvmProcessStart(&cfg, def, 1, NULL, NULL, &f->proc), ==,
                    -1);
    g_assert_null(f->proc);
    g_assert_nonnull(
        strstr(errorGetLast()->message, "cannot run emulator '/nonexistent/"));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    buildGuest();
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/kvm/process/boot-powerdown", testBootPowerdown);
    ADD("/kvm/process/serial-echo", testSerialEcho);
    ADD("/kvm/process/attach", testAttach);
    ADD("/kvm/process/qemu-fails", testQemuFails);
    ADD("/kvm/process/no-emulator", testNoEmulator);
#undef ADD
    ret = g_test_run();
    g_free(guestDir);
    return ret;
}
