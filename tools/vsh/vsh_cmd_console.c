/*
 * vsh_cmd_console.c: `console DOMAIN [--devname NAME] [--force] [--safe]`.
 * The terminal goes raw, the guest's console is opened as a non-blocking
 * stream, and bytes are copied both ways from the library's event loop
 * until the escape character (vsh -e, default ^]) is typed or the stream
 * ends; the terminal is restored in every case.
 *
 * The public event API has timers only, so the terminal side is a short
 * timer that polls standard input; the stream side is the stream's own
 * callback.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vsh.h"
#include "vsh_cmd_console.h"
#include "vsh_output.h"

/* How often the terminal is looked at (ms): short enough to feel live. */
#define VSH_CONSOLE_POLL_MS 10

typedef struct {
    vmmStreamPtr st;
    char escape; /* the byte that detaches */
    gboolean done;
    gboolean failed; /* the stream ended with an error */
    gboolean eof;    /* the guest side ended */
} vshConsole;

/* "^]" -> 0x1d, "^a" -> 0x01, "x" -> 'x' (vsh.c checked the form). */
static char vshConsoleEscapeByte(const char *esc)
{
    if (!esc)
        return 0x1d;
    if (esc[0] == '^')
        return (char)(g_ascii_toupper(esc[1]) ^ 0x40);
    return esc[0];
}

static gboolean vshConsoleWriteAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        buf += n;
        len -= n;
    }
    return TRUE;
}

/* Guest -> terminal. */
static void vshConsoleStreamEvent(vmmStreamPtr st, int events, void *opaque)
{
    vshConsole *con = opaque;
    char buf[4096];

    for (;;) {
        int n = vmmStreamRecv(st, buf, sizeof(buf));

        if (n == -2)
            return;
        if (n == 0) {
            con->eof = TRUE;
            con->done = TRUE;
            return;
        }
        if (n < 0) {
            con->failed = TRUE;
            con->done = TRUE;
            return;
        }
        if (!vshConsoleWriteAll(STDOUT_FILENO, buf, n)) {
            con->done = TRUE;
            return;
        }
    }
}

/* Terminal -> guest, up to the escape byte. */
static void vshConsoleStdin(int timer, void *opaque)
{
    vshConsole *con = opaque;
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    char buf[1024];
    char *esc;
    ssize_t n;

    if (con->done || poll(&pfd, 1, 0) <= 0)
        return;
    n = read(STDIN_FILENO, buf, sizeof(buf));
    if (n <= 0) {
        con->done = TRUE;
        return;
    }
    if ((esc = memchr(buf, con->escape, n))) {
        n = esc - buf;
        con->done = TRUE;
    }
    for (ssize_t off = 0; off < n;) {
        int sent = vmmStreamSend(con->st, buf + off, n - off);

        if (sent == -2)
            continue; /* a remote stream never says so; a local one may */
        if (sent < 0) {
            con->failed = TRUE;
            con->done = TRUE;
            return;
        }
        off += sent;
    }
}

/* Runs the copy loop; the terminal is raw meanwhile. */
static void vshConsoleRun(vshConsole *con)
{
    struct termios saved, raw;
    gboolean tty = tcgetattr(STDIN_FILENO, &saved) == 0;
    int timer;

    if (tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    }
    timer = vmmEventAddTimeout(VSH_CONSOLE_POLL_MS, vshConsoleStdin, con, NULL);
    while (timer > 0 && !con->done) {
        if (vmmEventRunDefaultImpl() < 0)
            break;
    }
    if (timer > 0)
        vmmEventRemoveTimeout(timer);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
}

static const vshOptFlag vshConsoleFlags[] = {
    {"force", VMM_DOMAIN_CONSOLE_FORCE},
    {"safe", VMM_DOMAIN_CONSOLE_SAFE},
    {NULL, 0},
};

static gboolean cmdConsole(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    const char *name = NULL;
    vshConsole con = {.escape = vshConsoleEscapeByte(ctl->escape)};
    int state = 0;
    int reason = 0;

    if (!(dom = vshCommandOptDomain(ctl, cmd, &name)))
        return FALSE;
    if (vmmDomainGetState(dom, &state, &reason, 0) < 0)
        return FALSE;
    if (state != VMM_DOMAIN_RUNNING && state != VMM_DOMAIN_PAUSED) {
        vshError(ctl, "The domain is not running");
        return FALSE;
    }
    if (!isatty(STDIN_FILENO)) {
        vshError(ctl,
                 "Cannot run interactive console without a controlling TTY");
        return FALSE;
    }
    if (!(con.st = vmmStreamNew(ctl->conn, VMM_STREAM_NONBLOCK)))
        return FALSE;
    if (vmmDomainOpenConsole(dom, vshCmdOptString(cmd, "devname"), con.st,
                             vshCommandOptFlags(cmd, vshConsoleFlags)) < 0 ||
        vmmStreamEventAddCallback(con.st, VMM_STREAM_EVENT_READABLE,
                                  vshConsoleStreamEvent, &con, NULL) < 0) {
        vmmStreamFree(con.st);
        return FALSE;
    }
    vshPrint(ctl, "Connected to domain '%s'\n", vmmDomainGetName(dom));
    vshPrint(ctl, "Escape character is %s\n", ctl->escape ? ctl->escape : "^]");
    fflush(stdout);

    vshConsoleRun(&con);

    vmmStreamEventRemoveCallback(con.st);
    if (con.eof)
        vmmStreamFinish(con.st);
    else if (!con.failed)
        vmmStreamAbort(con.st);
    vmmStreamFree(con.st);
    vshPrint(ctl, "\n");
    if (con.failed) {
        vshError(ctl, "the console connection ended with an error");
        return FALSE;
    }
    return TRUE;
}

static const vshOptDef optsConsole[] = {
    VSH_OPT_DOMAIN,
    {.name = "devname", .type = VSH_OT_STRING,
     .help = "the character device: serial0, console0, ... (default: the "
             "first console)"},
    VSH_OPT_FLAG("force", "take the console from a session that has it"),
    VSH_OPT_FLAG("safe", "only connect when access can be exclusive"),
    VSH_OPT_END,
};

const vshCmdDef vshConsoleCmds[] = {
    {.name = "console", .handler = cmdConsole, .opts = optsConsole,
     .help = "connect to the guest console",
     .desc = "Connect the terminal to a running guest's serial console; "
             "the escape character (vsh -e, default ^]) detaches."},
    {.name = NULL},
};
