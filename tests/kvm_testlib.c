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
    return pid;
}

void kvmTestKill(pid_t pid)
{
    if (pid <= 0)
        return;
    if (kill(pid, SIGKILL) == 0 || errno != ESRCH)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
}

bool kvmTestWaitExit(pid_t pid, int timeoutMs)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    while (g_get_monotonic_time() < deadline) {
        pid_t rc = waitpid(pid, NULL, WNOHANG);

        if (rc == pid || (rc < 0 && errno == ECHILD))
            return true;
        g_usleep(10 * 1000);
    }
    return false;
}
