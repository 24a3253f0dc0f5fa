/*
 * vmmd.c: the daemon's main(): options, configuration, logging, the pid
 * file, the listeners, one main loop until a signal or the idle timeout,
 * and an orderly shutdown (in-flight calls finish, sockets and pid file
 * go). The work itself is in vmmd_server.c and what it calls.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vmm/vmm.h>

#include "util_error.h"
#include "util_file.h"
#include "util_log.h"
#include "vmmd_access.h"
#include "vmmd_auth.h"
#include "vmmd_config.h"
#include "vmmd_paths.h"
#include "vmmd_server.h"
#ifdef VMM_WITH_KVM_DRIVER
# include "kvm_driver.h"
#endif

VMM_LOG_INIT("daemon.main");

/* The in-process test host lives as long as one connection to it is
 * open; the daemon keeps one for its whole life, so what one client
 * defines is there for the next, as on a real host. */
#define VMMD_TEST_HOST_URI "test:///default"

/* How long shutdown waits for calls in flight and unsent replies
 * (clients that do not read theirs). */
#define VMMD_SHUTDOWN_GRACE_MS 10000
#define VMMD_SHUTDOWN_POLL_MS 20

typedef struct {
    char *configFile;
    char *pidFile;
    char *root;
    int timeout;
    gboolean listen;
    gboolean daemonize;
    gboolean verbose;
    gboolean version;
} vmmdOptions;

typedef struct {
    vmmdServer *server;
    GMainLoop *loop;
    int timeout;     /* seconds; 0: none */
    gint64 lastBusy; /* monotonic time a client was last seen */
    bool stopping;
    gint64 stopDeadline;
    guint signals[3]; /* SIGTERM, SIGINT, SIGHUP sources */
} vmmdDaemon;

static void vmmdOptionsClear(vmmdOptions *opts)
{
    g_free(opts->configFile);
    g_free(opts->pidFile);
    g_free(opts->root);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vmmdOptions, vmmdOptionsClear)

static void vmmdPrintError(const char *what)
{
    const vmmError *err = errorGetLast();

    if (what)
        fprintf(stderr, "vmmd: error: %s: %s\n", what,
                err ? err->message : "unknown error");
    else
        fprintf(stderr, "vmmd: error: %s\n",
                err ? err->message : "unknown error");
}

static int vmmdParseOptions(int argc, char **argv, vmmdOptions *opts)
{
    GOptionEntry entries[] = {
        {"config", 'f', 0, G_OPTION_ARG_FILENAME, &opts->configFile,
         "configuration file (default ROOT/etc/vmm/vmmd.conf)", "FILE"},
        {"pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &opts->pidFile,
         "pid file (default ROOT/run/vmm/vmmd.pid)", "FILE"},
        {"timeout", 't', 0, G_OPTION_ARG_INT, &opts->timeout,
         "exit after SECS seconds without clients", "SECS"},
        {"root", 0, 0, G_OPTION_ARG_FILENAME, &opts->root,
         "keep every file and socket under DIR", "DIR"},
        {"listen", 'l', 0, G_OPTION_ARG_NONE, &opts->listen,
         "listen for TCP/IP connections", NULL},
        {"daemon", 'd', 0, G_OPTION_ARG_NONE, &opts->daemonize,
         "run in the background", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &opts->verbose,
         "log debug messages to stderr", NULL},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &opts->version,
         "print the version and exit", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("- virtualization management daemon");
    g_autoptr(GError) gerr = NULL;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        fprintf(stderr, "vmmd: error: %s (see vmmd --help)\n", gerr->message);
        return -1;
    }
    if (argc > 1) {
        fprintf(stderr,
                "vmmd: error: unexpected argument '%s' "
                "(see vmmd --help)\n",
                argv[1]);
        return -1;
    }
    if (opts->timeout < 0) {
        fprintf(stderr, "vmmd: error: --timeout must not be negative\n");
        return -1;
    }
    return 0;
}

/* Logging from the configuration, then from the command line. */
static int vmmdSetupLogging(const vmmdConfig *cfg, bool verbose)
{
    if (logSetupFromEnv() < 0)
        return -1;
    if (cfg->log_level && logSetDefaultPriority(cfg->log_level) < 0)
        return -1;
    if (cfg->log_filters && logSetFilters(cfg->log_filters) < 0)
        return -1;
    if (cfg->log_outputs && logSetOutputs(cfg->log_outputs) < 0)
        return -1;
    if (verbose && (logSetDefaultPriority(VMM_LOG_DEBUG) < 0 ||
                    logSetOutputs("1:stderr") < 0))
        return -1;
    return 0;
}

/* The network listeners authenticate by client certificate (TLS) or
 * not at all (TCP); vmmd has no SASL. */
static int vmmdCheckListenConfig(const vmmdConfig *cfg, bool listen)
{
    if (listen && cfg->listen_tls && cfg->auth_tls != VMMD_AUTH_NONE) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED,
                    "auth_tls = \"%s\": vmmd supports only \"none\" on "
                    "the TLS socket (the client certificate is checked)",
                    vmmdAuthTypeToString(cfg->auth_tls));
        return -1;
    }
    if (listen && cfg->listen_tcp && cfg->auth_tcp != VMMD_AUTH_NONE) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED,
                    "auth_tcp = \"%s\": vmmd supports only \"none\" on "
                    "the TCP socket",
                    vmmdAuthTypeToString(cfg->auth_tcp));
        return -1;
    }
    return 0;
}

/* What this daemon cannot honour yet is refused, not ignored. */
static int vmmdCheckConfig(const vmmdConfig *cfg, bool listen)
{
    if (cfg->auth_unix_rw == VMMD_AUTH_SASL ||
        cfg->auth_unix_ro == VMMD_AUTH_SASL) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED,
                    "auth_unix_rw = \"%s\" / auth_unix_ro = \"%s\": vmmd "
                    "supports only \"none\" and \"polkit\" on UNIX sockets",
                    vmmdAuthTypeToString(cfg->auth_unix_rw),
                    vmmdAuthTypeToString(cfg->auth_unix_ro));
        return -1;
    }
    return vmmdCheckListenConfig(cfg, listen);
}

static int vmmdLoadConfig(const vmmdOptions *opts, vmmdPaths *paths,
                          vmmdConfig **ret_cfg)
{
    g_autoptr(vmmdConfig) cfg = NULL;
    unsigned int flags = opts->configFile ? 0 : VMMD_CONFIG_ALLOW_MISSING;

    /* As root, polkit guards the UNIX sockets unless the file says not. */
    if (geteuid() == 0)
        flags |= VMMD_CONFIG_PRIVILEGED;
    const char *file = opts->configFile ? opts->configFile : paths->configFile;

    if (vmmdConfigLoadFile(file, flags, &cfg) < 0)
        return -1;
    vmmdPathsApplyConfig(paths, cfg);
    if (opts->pidFile) {
        g_free(paths->pidFile);
        paths->pidFile = g_strdup(opts->pidFile);
    }
    *ret_cfg = g_steal_pointer(&cfg);
    return 0;
}

/* ---- Running in the background ---- */

/* Forks twice; the original process waits for the daemon to report its
 * start-up and exits with its status. Returns the write end of the
 * status pipe in the daemon. */
static int vmmdDaemonize(void)
{
    int fds[2];
    pid_t pid;
    char status = 1;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot create a pipe");
        return -1;
    }
    if ((pid = fork()) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot fork");
        return -1;
    }
    if (pid > 0) {
        close(fds[1]);
        if (read(fds[0], &status, 1) != 1)
            status = 1;
        _exit(status);
    }
    close(fds[0]);
    if (setsid() < 0 || (pid = fork()) < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    return fds[1];
}

/* Tells the waiting parent how start-up went; detaches from the
 * terminal on success. */
static void vmmdDaemonReady(int statusFd, char status)
{
    int null;

    if (statusFd < 0)
        return;
    if (status == 0 && (null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
    if (write(statusFd, &status, 1) != 1)
        VMM_DEBUG("start-up status not delivered: %s", g_strerror(errno));
    close(statusFd);
}

/* ---- The main loop ---- */

static gboolean vmmdShutdownPoll(gpointer opaque)
{
    vmmdDaemon *daemon = opaque;
    bool idle = vmmdServerCallsInFlight(daemon->server) == 0 &&
                vmmdServerClientCount(daemon->server) == 0;

    if (!idle && g_get_monotonic_time() < daemon->stopDeadline)
        return G_SOURCE_CONTINUE;
    if (!idle)
        VMM_WARN("clients still busy after %d ms: exiting anyway",
                 VMMD_SHUTDOWN_GRACE_MS);
    g_main_loop_quit(daemon->loop);
    return G_SOURCE_REMOVE;
}

static void vmmdStop(vmmdDaemon *daemon, const char *why)
{
    if (daemon->stopping)
        return;
    daemon->stopping = true;
    VMM_INFO("shutting down: %s", why);
    vmmdServerStopListening(daemon->server);
    vmmdServerDrainClients(daemon->server);
    daemon->stopDeadline =
        g_get_monotonic_time() + VMMD_SHUTDOWN_GRACE_MS * (gint64)1000;
    g_timeout_add(VMMD_SHUTDOWN_POLL_MS, vmmdShutdownPoll, daemon);
}

static gboolean vmmdOnSignal(gpointer opaque)
{
    vmmdStop(opaque, "signal received");
    return G_SOURCE_CONTINUE;
}

static gboolean vmmdOnHangup(gpointer opaque)
{
    /* Its default action would kill the daemon uncleanly. */
    VMM_INFO("SIGHUP received: reloading is not supported yet, ignored");
    return G_SOURCE_CONTINUE;
}

/* --timeout is for an idle vmmd: running guests keep it up too. */
static bool vmmdGuestsRunning(void)
{
#ifdef VMM_WITH_KVM_DRIVER
    return kvmDriverActiveCount() > 0;
#else
    return false;
#endif
}

static gboolean vmmdTimeoutCheck(gpointer opaque)
{
    vmmdDaemon *daemon = opaque;
    gint64 now = g_get_monotonic_time();

    if (daemon->stopping)
        return G_SOURCE_CONTINUE;
    if (vmmdServerClientCount(daemon->server) > 0 || vmmdGuestsRunning())
        daemon->lastBusy = now;
    else if (now - daemon->lastBusy >= daemon->timeout * G_USEC_PER_SEC)
        vmmdStop(daemon, "no client and no running guest for the --timeout period");
    return G_SOURCE_CONTINUE;
}

/* The TCP and TLS sockets of --listen. They come before the UNIX
 * sockets, so whoever sees those may connect to these too. */
static int vmmdListenNetwork(vmmdServer *server, const vmmdConfig *cfg,
                             const vmmdPaths *paths)
{
    if (cfg->listen_tls) {
        vmmdTLSContext *tls = NULL;

        if (vmmdTLSContextNew(cfg, paths, &tls) < 0)
            return -1;
        vmmdServerSetTLS(server, tls);
        if (vmmdServerAddTCPSocket(server, cfg->listen_addr, cfg->tls_port,
                                   true) < 0)
            return -1;
    }
    if (cfg->listen_tcp) {
        VMM_WARN("listen_tcp: clients on port %s are neither authenticated "
                 "nor encrypted (auth_tcp = \"none\")",
                 cfg->tcp_port);
        if (vmmdServerAddTCPSocket(server, cfg->listen_addr, cfg->tcp_port,
                                   false) < 0)
            return -1;
    }
    return 0;
}

static int vmmdListen(vmmdServer *server, const vmmdConfig *cfg,
                      const vmmdPaths *paths, bool listen)
{
    if (listen && vmmdListenNetwork(server, cfg, paths) < 0)
        return -1;
    if (fileMakePath(paths->sockDir, 0755) < 0)
        return -1;
    if (vmmdServerAddUnixSocket(server, paths->sockRW, cfg->unix_sock_rw_perms,
                                cfg->unix_sock_group, false) < 0)
        return -1;
    return vmmdServerAddUnixSocket(server, paths->sockRO,
                                   cfg->unix_sock_ro_perms,
                                   cfg->unix_sock_group, true);
}

/* Before the sockets exist, so that a client that sees them can signal
 * the daemon; the handlers run once the loop does. */
static void vmmdSignalsInstall(vmmdDaemon *daemon)
{
    daemon->signals[0] = g_unix_signal_add(SIGTERM, vmmdOnSignal, daemon);
    daemon->signals[1] = g_unix_signal_add(SIGINT, vmmdOnSignal, daemon);
    daemon->signals[2] = g_unix_signal_add(SIGHUP, vmmdOnHangup, daemon);
}

static void vmmdSignalsRemove(vmmdDaemon *daemon)
{
    for (size_t i = 0; i < G_N_ELEMENTS(daemon->signals); i++) {
        if (daemon->signals[i])
            g_source_remove(daemon->signals[i]);
    }
}

static void vmmdRun(vmmdDaemon *daemon)
{
    guint timer = 0;

    if (daemon->timeout > 0) {
        daemon->lastBusy = g_get_monotonic_time();
        timer = g_timeout_add(250, vmmdTimeoutCheck, daemon);
    }
    g_main_loop_run(daemon->loop);
    if (timer)
        g_source_remove(timer);
}

#ifdef VMM_WITH_KVM_DRIVER
/* The QEMU driver runs guests as the daemon's user: only a root daemon,
 * or one on a private --root (the tests), brings it up. */
static int vmmdKvmDriverStart(const vmmdOptions *opts, const vmmdPaths *paths)
{
    g_autofree char *configDir = vmmdPathsDriverConfigDir(paths, "qemu");
    g_autofree char *runDir = vmmdPathsDriverRunDir(paths, "qemu");
    g_autofree char *stateDir = vmmdPathsDriverStateDir(paths, "qemu");
    g_autofree char *logDir = vmmdPathsDriverLogDir(paths, "qemu");
    kvmDriverConfig cfg = {
        .configDir = configDir,
        .runDir = runDir,
        .stateDir = stateDir,
        .logDir = logDir,
    };

    if (geteuid() != 0 && !opts->root) {
        VMM_INFO("not root and no --root: qemu:///system is not available");
        return 0;
    }
    return kvmDriverStateInitialize(&cfg);
}
#endif

int main(int argc, char **argv)
{
    g_auto(vmmdOptions) opts = {0};
    g_autoptr(vmmdPaths) paths = NULL;
    g_autoptr(vmmdConfig) cfg = NULL;
    vmmdDaemon daemon = {0};
    vmmConnectPtr hostConn = NULL;
    int statusFd = -1;
    int pidFd = -1;
    int ret = EXIT_FAILURE;

    if (vmmdParseOptions(argc, argv, &opts) < 0)
        return EXIT_FAILURE;
    if (opts.version) {
        printf("vmmd (vmm) %s\n", PACKAGE_VERSION);
        return EXIT_SUCCESS;
    }
    /* Before any thread exists, and before anything is allocated that the
     * processes which exit here would leave behind; the daemon still has
     * the terminal until it reports its start-up, so errors reach it. */
    if (opts.daemonize && (statusFd = vmmdDaemonize()) < 0) {
        vmmdPrintError(NULL);
        return EXIT_FAILURE;
    }
    if (vmmdPathsNew(opts.root, &paths) < 0 ||
        vmmdLoadConfig(&opts, paths, &cfg) < 0 ||
        vmmdSetupLogging(cfg, opts.verbose) < 0 ||
        vmmdCheckConfig(cfg, opts.listen) < 0) {
        vmmdPrintError(NULL);
        vmmdDaemonReady(statusFd, 1);
        return EXIT_FAILURE;
    }
    vmmdAuthConfigure(cfg->auth_unix_rw, cfg->auth_unix_ro);
    vmmdAccessConfigure((const char *const *)cfg->access_drivers);
    signal(SIGPIPE, SIG_IGN);

    if (fileMakePath(paths->runDir, 0755) < 0 ||
        fileLockPid(paths->pidFile, "vmmd", &pidFd) < 0) {
        vmmdPrintError(NULL);
        vmmdDaemonReady(statusFd, 1);
        return EXIT_FAILURE;
    }
    vmmEventRegisterDefaultImpl();
    vmmdSignalsInstall(&daemon);
    if (
#ifdef VMM_WITH_KVM_DRIVER
        vmmdKvmDriverStart(&opts, paths) < 0 ||
#endif
        !(hostConn = vmmConnectOpen(VMMD_TEST_HOST_URI)) ||
        vmmdServerNew(cfg, &daemon.server) < 0 ||
        vmmdListen(daemon.server, cfg, paths, opts.listen) < 0) {
        vmmdPrintError(NULL);
        vmmdDaemonReady(statusFd, 1);
        goto cleanup;
    }
    VMM_INFO("vmmd %s started, pid %lld", PACKAGE_VERSION, (long long)getpid());
    vmmdDaemonReady(statusFd, 0);

    daemon.loop = g_main_loop_new(NULL, FALSE);
    daemon.timeout = opts.timeout;
    vmmdRun(&daemon);
    ret = EXIT_SUCCESS;

cleanup:
    /* Closes the clients, lets workers finish, removes the sockets. */
    vmmdServerFree(daemon.server);
    vmmdSignalsRemove(&daemon);
    if (hostConn)
        vmmConnectClose(hostConn);
#ifdef VMM_WITH_KVM_DRIVER
    /* After the clients are gone; running guests are left running. */
    kvmDriverStateCleanup();
#endif
    if (daemon.loop)
        g_main_loop_unref(daemon.loop);
    vmmdAuthShutdown();
    fileUnlockPid(paths->pidFile, pidFd);
    VMM_INFO("vmmd stopped");
    return ret;
}
