/*
 * vsh.c: the vsh program: global options, the connection (opened lazily,
 * so help and connect work without one), running commands from argv, a
 * script on stdin or the interactive prompt, and assembling the one JSON
 * document of a --json invocation.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "vsh.h"
#include "vsh_output.h"
#include "vsh_readline.h"
#include "vsh_table.h"

#define VSH_NO_URI_MESSAGE \
    "no connection URI: use -c URI, e.g. vsh -c test:///default, " \
    "or set VMM_DEFAULT_URI"

/* Names echoed in error messages are cut here: a 10 MB argument should
 * not become 10 MB of error text. */
#define VSH_ECHO_MAX 256

vmmConnectPtr vshConn(vshControl *ctl)
{
    const char *uri = ctl->uri;

    if (ctl->conn)
        return ctl->conn;
    if (!uri)
        uri = g_getenv("VMM_DEFAULT_URI");
    if (!uri || !*uri) {
        vshError(ctl, "%s", VSH_NO_URI_MESSAGE);
        return NULL;
    }
    ctl->conn = ctl->readonly ? vmmConnectOpenReadOnly(uri)
                              : vmmConnectOpen(uri);
    if (!ctl->conn) {
        vshError(ctl, "failed to connect to the hypervisor");
        vshReportLibError(ctl);
        return NULL;
    }
    return ctl->conn;
}

gboolean vshReconnect(vshControl *ctl, const char *uri, gboolean readonly)
{
    if (ctl->conn) {
        vmmConnectClose(ctl->conn);
        ctl->conn = NULL;
    }
    g_free(ctl->uri);
    ctl->uri = g_strdup(uri);
    ctl->readonly = readonly;
    return vshConn(ctl) != NULL;
}

static char *vshEcho(const char *str)
{
    if (strlen(str) <= VSH_ECHO_MAX)
        return g_strdup(str);
    return g_strdup_printf("%.*s...", VSH_ECHO_MAX, str);
}

vmmDomainPtr vshLookupDomain(vshControl *ctl, const char *name)
{
    vmmDomainPtr dom = NULL;
    guint64 id;

    if (!vshConn(ctl))
        return NULL;
    if (g_ascii_string_to_unsigned(name, 10, 0, INT_MAX, &id, NULL))
        dom = vmmDomainLookupByID(ctl->conn, (int)id);
    if (!dom && strlen(name) == VMM_UUID_STRING_BUFLEN - 1)
        dom = vmmDomainLookupByUUIDString(ctl->conn, name);
    if (!dom)
        dom = vmmDomainLookupByName(ctl->conn, name);
    if (!dom) {
        g_autofree char *echo = vshEcho(name);

        vshError(ctl, "failed to get domain '%s'", echo);
    }
    return dom;
}

vmmDomainPtr vshCommandOptDomain(vshControl *ctl, const vshCmd *cmd,
                                 const char **ret_name)
{
    const char *name = vshCmdOptString(cmd, "domain");
    vmmDomainPtr dom;

    if (!name) {
        vshError(ctl, "command '%s' requires <domain> option", cmd->def->name);
        return NULL;
    }
    if (!(dom = vshLookupDomain(ctl, name)))
        return NULL;
    if (ret_name)
        *ret_name = vmmDomainGetName(dom);
    return dom;
}

static void vshNumericError(vshControl *ctl, const char *value,
                            const char *name)
{
    g_autofree char *echo = vshEcho(value);

    vshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
             echo, name);
}

int vshCommandOptUInt(vshControl *ctl, const vshCmd *cmd, const char *name,
                      unsigned int *ret_value)
{
    const char *str = vshCmdOptString(cmd, name);
    guint64 v;

    if (!str)
        return 0;
    if (!g_ascii_string_to_unsigned(str, 10, 0, UINT_MAX, &v, NULL)) {
        vshNumericError(ctl, str, name);
        return -1;
    }
    *ret_value = (unsigned int)v;
    return 1;
}

typedef struct {
    const char *suffix;
    guint64 factor; /* bytes per unit */
} vshScale;

static const vshScale vshScales[] = {
    {"", 1024}, /* KiB, virsh's default for memory sizes */
    {"b", 1}, {"byte", 1}, {"bytes", 1},
    {"k", 1024}, {"KiB", 1024}, {"KB", 1000},
    {"M", 1024 * 1024}, {"MiB", 1024 * 1024}, {"MB", 1000 * 1000},
    {"G", 1024ULL * 1024 * 1024}, {"GiB", 1024ULL * 1024 * 1024},
    {"GB", 1000ULL * 1000 * 1000},
    {"T", 1024ULL * 1024 * 1024 * 1024}, {"TiB", 1024ULL * 1024 * 1024 * 1024},
    {"TB", 1000ULL * 1000 * 1000 * 1000},
    {NULL, 0},
};

/* @str as KiB, rounded up; FALSE when it is not a size. */
static gboolean vshParseScaledKiB(const char *str, unsigned long *ret_kib)
{
    const vshScale *scale;
    char *end = NULL;
    guint64 n;

    if (!g_ascii_isdigit(*str))
        return FALSE;
    n = g_ascii_strtoull(str, &end, 10);
    for (scale = vshScales; scale->suffix; scale++) {
        if (g_ascii_strcasecmp(end, scale->suffix) == 0 &&
            (strlen(scale->suffix) <= 1 ||
             strcmp(end + 1, scale->suffix + 1) == 0))
            break;
    }
    if (!scale->suffix || (n && G_MAXUINT64 / n < scale->factor))
        return FALSE;
    n = (n * scale->factor + 1023) / 1024;
    if (n > ULONG_MAX)
        return FALSE;
    *ret_kib = n;
    return TRUE;
}

int vshCommandOptScaledKiB(vshControl *ctl, const vshCmd *cmd,
                           const char *name, unsigned long *ret_value)
{
    const char *str = vshCmdOptString(cmd, name);
    unsigned long kib;

    if (!str)
        return 0;
    if (!vshParseScaledKiB(str, &kib)) {
        vshNumericError(ctl, str, name);
        return -1;
    }
    *ret_value = kib;
    return 1;
}

gboolean vshOptionsExclusive(vshControl *ctl, const vshCmd *cmd,
                             const char *a, const char *b)
{
    if (vshCmdOptString(cmd, a) && vshCmdOptString(cmd, b)) {
        vshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return FALSE;
    }
    return TRUE;
}

unsigned int vshCommandOptFlags(const vshCmd *cmd, const vshOptFlag *table)
{
    unsigned int flags = 0;

    for (; table->name; table++) {
        if (vshCmdOptBool(cmd, table->name))
            flags |= table->flag;
    }
    return flags;
}

gboolean vshCommandOptImpact(vshControl *ctl, const vshCmd *cmd,
                             unsigned int *ret_flags)
{
    static const vshOptFlag impact[] = {
        {"live", VMM_DOMAIN_AFFECT_LIVE},
        {"config", VMM_DOMAIN_AFFECT_CONFIG},
        {NULL, 0},
    };

    if (!vshOptionsExclusive(ctl, cmd, "current", "live") ||
        !vshOptionsExclusive(ctl, cmd, "current", "config"))
        return FALSE;
    *ret_flags = VMM_DOMAIN_AFFECT_CURRENT | vshCommandOptFlags(cmd, impact);
    return TRUE;
}

/* The largest XML file vsh reads, as virsh. */
#define VSH_MAX_XML_FILE (10 * 1024 * 1024)

char *vshReadFile(vshControl *ctl, const char *path)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *echo = vshEcho(path);
    char *contents = NULL;
    gsize len = 0;
    GStatBuf st;

    if (g_stat(path, &st) < 0) {
        vshError(ctl, "Failed to open file '%s': %s", echo, g_strerror(errno));
        return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size > VSH_MAX_XML_FILE) {
        vshError(ctl, "file '%s' is larger than the %d bytes allowed", echo,
                 VSH_MAX_XML_FILE);
        return NULL;
    }
    if (!g_file_get_contents(path, &contents, &len, &err)) {
        vshError(ctl, "Failed to read file '%s': %s", echo, err->message);
        return NULL;
    }
    if (strlen(contents) != len) {
        vshError(ctl, "file '%s' contains a NUL byte", echo);
        g_free(contents);
        return NULL;
    }
    return contents;
}

gboolean vshWantJson(vshControl *ctl)
{
    return ctl->jsonCmd;
}

/* The JSON error object of the command that just failed. */
static vshJson *vshJsonErrorObject(vshControl *ctl)
{
    vshJson *err = vshJsonNewObject();
    vshJson *messages = vshJsonNewArray();
    guint i;

    for (i = 0; ctl->errors && i < ctl->errors->len; i++)
        vshJsonArrayAppend(messages,
                           vshJsonNewString(g_ptr_array_index(ctl->errors, i)));
    vshJsonObjectAdd(err, "messages", messages);
    if (ctl->libErrCode >= 0) {
        vshJsonObjectAddInt(err, "code", ctl->libErrCode);
        vshJsonObjectAddInt(err, "domain", ctl->libErrDomain);
    } else {
        vshJsonObjectAdd(err, "code", vshJsonNewNull());
        vshJsonObjectAdd(err, "domain", vshJsonNewNull());
    }
    return err;
}

static void vshJsonPrint(const vshJson *value)
{
    g_autofree char *text = vshJsonFormat(value);

    fputs(text, stdout);
    fflush(stdout);
}

/* What the command that just ran contributes: its structured result,
 * the text it printed, or its error. */
static vshJson *vshJsonCommandValue(vshControl *ctl, gboolean ok)
{
    vshJson *value;

    if (!ok)
        return vshJsonErrorObject(ctl);
    if (ctl->result)
        return g_steal_pointer(&ctl->result);
    value = vshJsonNewObject();
    vshJsonObjectAddString(value, "output",
                           ctl->capture ? ctl->capture->str : "");
    return value;
}

/* Files the outcome of one command (@name may be NULL when the line did
 * not parse): kept for the end under a global --json, printed now
 * otherwise. */
static void vshJsonRecord(vshControl *ctl, const char *name, gboolean ok)
{
    g_autoptr(vshJson) value = vshJsonCommandValue(ctl, ok);
    g_autoptr(vshJson) entry = vshJsonNewObject();

    if (!ctl->json || ctl->interactive) {
        if (!ok) {
            vshJsonObjectAdd(entry, "error", g_steal_pointer(&value));
            vshJsonPrint(entry);
        } else {
            vshJsonPrint(value);
        }
        return;
    }
    vshJsonObjectAddString(entry, "command", name);
    vshJsonObjectAdd(entry, ok ? "result" : "error", g_steal_pointer(&value));
    vshJsonArrayAppend(ctl->jsonDoc, g_steal_pointer(&entry));
}

static void vshCommandStateReset(vshControl *ctl)
{
    if (ctl->capture)
        g_string_free(ctl->capture, TRUE);
    ctl->capture = NULL;
    g_clear_pointer(&ctl->result, vshJsonFree);
    g_clear_pointer(&ctl->errors, g_ptr_array_unref);
    ctl->jsonCmd = FALSE;
    ctl->libErrCode = -1;
    ctl->libErrDomain = -1;
}

static void vshCommandStateInit(vshControl *ctl, gboolean json)
{
    vshCommandStateReset(ctl);
    ctl->errors = g_ptr_array_new_with_free_func(g_free);
    ctl->jsonCmd = json;
    if (json)
        ctl->capture = g_string_new(NULL);
}

static gboolean vshExecute(vshControl *ctl, const vshCmd *cmd)
{
    gboolean ok;

    if (cmd->helpRequested)
        return vshTableHelp(ctl, cmd->def->name);
    if (!(cmd->def->flags & VSH_CMD_NOCONNECT) && !vshConn(ctl))
        return FALSE;
    vshResetLibError(ctl);
    ok = cmd->def->handler(ctl, cmd);
    if (!ok)
        vshReportLibError(ctl);
    vshResetLibError(ctl);
    return ok;
}

static gboolean vshRunCommand(vshControl *ctl, const vshCmd *cmd)
{
    gboolean json = ctl->json || vshCmdOptBool(cmd, "json");
    gboolean ok;

    vshCommandStateInit(ctl, json);
    ok = vshExecute(ctl, cmd);
    if (json)
        vshJsonRecord(ctl, cmd->def->name, ok);
    vshCommandStateReset(ctl);
    /* virsh ends the output of every command with an empty line */
    if (!json && !ctl->quit)
        vshPrintExtra(ctl, "\n");
    fflush(stdout);
    if (!ok)
        ctl->failed = TRUE;
    return ok;
}

/* A line that did not parse: no command of it runs. */
static gboolean vshParseFailed(vshControl *ctl, const char *name,
                               const char *msg)
{
    gboolean json = ctl->json;

    vshCommandStateInit(ctl, json);
    vshError(ctl, "%s", msg);
    if (json)
        vshJsonRecord(ctl, name, FALSE);
    vshCommandStateReset(ctl);
    ctl->failed = TRUE;
    return FALSE;
}

gboolean vshRunCommands(vshControl *ctl, GPtrArray *cmds)
{
    g_autoptr(GPtrArray) bound = g_ptr_array_new_with_free_func(
        (GDestroyNotify)vshCmdFree);
    gboolean ok = TRUE;
    guint i;

    for (i = 0; i < cmds->len; i++) {
        char **words = g_ptr_array_index(cmds, i);
        const vshCmdDef *def = vshTableLookup(words[0]);
        g_autofree char *err = NULL;
        vshCmd *cmd;

        if (!def) {
            g_autofree char *echo = vshEcho(words[0]);

            err = g_strdup_printf("unknown command: '%s'", echo);
            return vshParseFailed(ctl, NULL, err);
        }
        if (!(cmd = vshCmdBind(def, words + 1, &err)))
            return vshParseFailed(ctl, def->name, err);
        g_ptr_array_add(bound, cmd);
    }
    for (i = 0; i < bound->len && !ctl->quit; i++) {
        if (!vshRunCommand(ctl, g_ptr_array_index(bound, i)))
            ok = FALSE;
    }
    return ok;
}

gboolean vshRunLine(vshControl *ctl, const char *line)
{
    g_autoptr(GPtrArray) cmds = NULL;
    g_autofree char *err = NULL;

    if (!(cmds = vshTokenize(line, FALSE, &err)))
        return vshParseFailed(ctl, NULL, err);
    return vshRunCommands(ctl, cmds);
}

/* Commands from argv: one string is a line (it may hold ';'); several
 * words are one command, where a lone ";" word starts the next one. */
static GPtrArray *vshArgvCommands(int argc, char **argv, char **ret_error)
{
    GPtrArray *cmds;
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
    int i;

    if (argc == 1)
        return vshTokenize(argv[0], FALSE, ret_error);

    cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    for (i = 0; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], ";") != 0) {
            g_ptr_array_add(words, g_strdup(argv[i]));
            continue;
        }
        if (words->len == 0)
            continue;
        g_ptr_array_add(words, NULL);
        g_ptr_array_add(cmds, g_ptr_array_steal(words, NULL));
    }
    return cmds;
}

static void vshRunScript(vshControl *ctl, FILE *in)
{
    g_autofree char *line = NULL;
    size_t size = 0;
    ssize_t len;

    while (!ctl->quit && (len = getline(&line, &size, in)) >= 0) {
        if (len > 0 && line[len - 1] == '\n')
            line[len - 1] = '\0';
        vshRunLine(ctl, line);
    }
}

static void vshUsage(void)
{
    printf("\n"
           "vsh [options]... [<command_string>]\n"
           "vsh [options]... <command> [args...]\n"
           "\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -e | --escape <char>    set escape sequence for console\n"
           "    -h | --help             this help\n"
           "         --json             print results as one JSON document\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -v | --version          program version\n"
           "\n"
           "  commands (non interactive mode):\n"
           "    see `vsh help`; `vsh help COMMAND` for one command\n"
           "\n"
           "  (specify help <group> for details about the commands in the group)\n"
           "\n");
}

static void vshPrintVersion(void)
{
    unsigned long v = 0;

    if (vmmGetVersion(&v, NULL, NULL) < 0)
        v = VMM_VERSION_NUMBER;
    printf("%lu.%lu.%lu\n", v / 1000000, (v % 1000000) / 1000, v % 1000);
}

/* "^]" or a single character, as virsh accepts for its console. */
static gboolean vshEscapeValid(const char *esc)
{
    if (esc[0] == '^')
        return esc[1] && !esc[2];
    return esc[0] && !esc[1];
}

enum {
    VSH_GETOPT_JSON = 256,
};

/* Returns -1 to go on, else the exit status. */
static int vshParseArgv(vshControl *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"connect", required_argument, NULL, 'c'},
        {"escape", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, VSH_GETOPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        {"readonly", no_argument, NULL, 'r'},
        {"version", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "+c:e:hqrv", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            g_free(ctl->uri);
            ctl->uri = g_strdup(optarg);
            break;
        case 'e':
            if (!vshEscapeValid(optarg)) {
                fprintf(stderr, "error: Invalid string '%s' for escape sequence\n",
                        optarg);
                return 1;
            }
            g_free(ctl->escape);
            ctl->escape = g_strdup(optarg);
            break;
        case 'h':
            vshUsage();
            return 0;
        case 'q':
            ctl->quiet = TRUE;
            break;
        case 'r':
            ctl->readonly = TRUE;
            break;
        case 'v':
            vshPrintVersion();
            return 0;
        case VSH_GETOPT_JSON:
            ctl->json = TRUE;
            break;
        default:
            fprintf(stderr, "error: unsupported option; see 'vsh --help'\n");
            return 1;
        }
    }
    return -1;
}

static void vshRunArgv(vshControl *ctl, int argc, char **argv)
{
    g_autoptr(GPtrArray) cmds = NULL;
    g_autofree char *err = NULL;

    if (!(cmds = vshArgvCommands(argc, argv, &err))) {
        vshParseFailed(ctl, NULL, err);
        return;
    }
    ctl->jsonArray = cmds->len != 1;
    vshRunCommands(ctl, cmds);
}

static void vshPrintJsonDoc(vshControl *ctl)
{
    vshJson *entry;

    if (ctl->jsonArray || vshJsonArrayLength(ctl->jsonDoc) != 1) {
        vshJsonPrint(ctl->jsonDoc);
        return;
    }
    /* one command from argv: its bare result, or {"error": ...} */
    entry = vshJsonArrayGet(ctl->jsonDoc, 0);
    if (vshJsonObjectGet(entry, "result")) {
        g_autoptr(vshJson) result = vshJsonObjectSteal(entry, "result");

        vshJsonPrint(result);
    } else {
        g_autoptr(vshJson) wrap = vshJsonNewObject();

        vshJsonObjectAdd(wrap, "error", vshJsonObjectSteal(entry, "error"));
        vshJsonPrint(wrap);
    }
}

static void vshControlClear(vshControl *ctl)
{
    vshCommandStateReset(ctl);
    if (ctl->conn)
        vmmConnectClose(ctl->conn);
    vmmSetErrorFunc(NULL, NULL);
    vshResetLibError(ctl);
    g_free(ctl->uri);
    g_free(ctl->escape);
    vshJsonFree(ctl->jsonDoc);
}

int main(int argc, char **argv)
{
    vshControl ctl = {.libErrCode = -1, .libErrDomain = -1};
    int ret;

    setlocale(LC_ALL, "");
    /* events are delivered only through a loop registered before any
     * connection is opened */
    if (vmmEventRegisterDefaultImpl() < 0) {
        fprintf(stderr, "error: %s\n", vmmGetLastErrorMessage());
        return 1;
    }
    vmmSetErrorFunc(&ctl, vshSaveLibError);
    if ((ret = vshParseArgv(&ctl, argc, argv)) >= 0) {
        vshControlClear(&ctl);
        return ret;
    }
    ctl.jsonDoc = vshJsonNewArray();
    ctl.jsonArray = TRUE;

    if (optind < argc) {
        vshRunArgv(&ctl, argc - optind, argv + optind);
    } else if (isatty(STDIN_FILENO)) {
        ctl.interactive = TRUE;
        vshReadlineLoop(&ctl);
    } else {
        vshRunScript(&ctl, stdin);
    }
    if (ctl.json && !ctl.interactive)
        vshPrintJsonDoc(&ctl);
    ret = ctl.failed ? 1 : 0;
    vshControlClear(&ctl);
    return ret;
}
