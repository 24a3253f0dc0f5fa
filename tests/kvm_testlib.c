/*
 * kvm_testlib.c: helpers shared by the QEMU driver's tests.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include <glib.h>

#include "util_command.h"
#include "util_error.h"
#include "kvm_testlib.h"

#define KVM_TEST_MAX_PIDS 16

/* Written by the test thread, read by the signal handler. */
static volatile sig_atomic_t registered[KVM_TEST_MAX_PIDS];

static void kvmTestOnAbort(int sig)
{
    for (size_t i = 0; i < KVM_TEST_MAX_PIDS; i++) {
        if (registered[i] > 0)
            kill((pid_t)registered[i], SIGKILL);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void kvmTestRegisterPid(pid_t pid)
{
    static bool installed;

    if (!installed) {
        signal(SIGABRT, kvmTestOnAbort);
        installed = true;
    }
    for (size_t i = 0; i < KVM_TEST_MAX_PIDS; i++) {
        if (registered[i] <= 0) {
            registered[i] = pid;
            return;
        }
    }
    g_error("too many QEMU processes registered");
}

void kvmTestUnregisterPid(pid_t pid)
{
    for (size_t i = 0; i < KVM_TEST_MAX_PIDS; i++) {
        if (registered[i] == pid)
            registered[i] = 0;
    }
}

char *kvmTestFindQemu(void)
{
    const char *env = g_getenv("VMM_TEST_QEMU");

    if (env && *env)
        return g_file_test(env, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup(env)
                                                           : NULL;
    return g_find_program_in_path("qemu-system-x86_64");
}

pid_t kvmTestStartBareQemu(const char *qemu, const char *sock)
{
    g_autoptr(cmdDef) cmd = cmdNew(qemu);
    pid_t pid;

    cmdAddArgList(cmd, "-machine", "none", "-nodefaults", "-display", "none",
                  "-qmp", NULL);
    cmdAddArgFormat(cmd, "unix:%s,server=on,wait=off", sock);
    if (cmdRunAsync(cmd, &pid) < 0)
        g_error("cannot start %s: %s", qemu, errorGetLast()->message);
    kvmTestRegisterPid(pid);
    return pid;
}

void kvmTestKill(pid_t pid)
{
    if (pid <= 0)
        return;
    kvmTestUnregisterPid(pid);
    if (kill(pid, SIGKILL) == 0 || errno != ESRCH)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
}

bool kvmTestWaitExit(pid_t pid, int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    while (g_get_monotonic_time() < deadline) {
        pid_t rc = waitpid(pid, NULL, WNOHANG);

        if (rc == pid || (rc < 0 && errno == ECHILD)) {
            kvmTestUnregisterPid(pid);
            return true;
        }
        g_usleep(10 * 1000);
    }
    return false;
}
