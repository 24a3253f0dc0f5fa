/*
 * vmm_pki.c: the vmm-pki program: certificates for vmmd's TLS listener
 * and its clients in one command each. Global options, the choice of
 * command and each command's options are here; the work is in pki_ca.c
 * (init), pki_issue.c (server, client) and pki_show.c (show).
 */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pki_ca.h"
#include "pki_issue.h"
#include "pki_show.h"
#include "pki_store.h"
#include "util_error.h"

static const char pkiUsage[] =
    "usage: vmm-pki [--root DIR] COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "commands:\n"
    "  init [--cn NAME] [--org O] [--days N] [--force]\n"
    "      create the certificate authority (CA)\n"
    "  server HOSTNAME [--dns NAME]... [--ip ADDR]... [--out DIR]\n"
    "      issue vmmd's TLS server certificate and key\n"
    "  client NAME [--org O] [--out DIR | --system]\n"
    "      issue a client certificate (into ./NAME by default)\n"
    "  show [--ca FILE] [FILE|DIR]...\n"
    "      explain the installed certificates, or the files given\n"
    "\n"
    "--root DIR puts every path under DIR, as 'vmmd --root DIR' does.\n"
    "Run 'vmm-pki COMMAND --help' for a command's options; see vmm-pki(1).\n";

/* --days not given (GOption leaves an int it did not see untouched). */
#define PKI_DAYS_UNSET G_MININT
/* A hundred years: beyond it X.509 dates get strange. */
#define PKI_DAYS_MAX 36500

/* Every option of every command; each command lists the ones it takes. */
typedef struct {
    char *root;
    char *cn;
    char *org;
    int days;
    char *keyType;
    char **dns;
    char **ips;
    char *outDir;
    char *caFile;
    gboolean system;
    gboolean force;
} pkiOptions;

static void pkiOptionsClear(pkiOptions *o)
{
    g_free(o->root);
    g_free(o->cn);
    g_free(o->org);
    g_free(o->keyType);
    g_strfreev(o->dns);
    g_strfreev(o->ips);
    g_free(o->outDir);
    g_free(o->caFile);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(pkiOptions, pkiOptionsClear)

typedef struct {
    const char *name;
    const char *args; /* positional arguments, for --help */
    int minArgs;
    int maxArgs;                /* -1: any number */
    const char *const *options; /* names of the options it takes */
    int (*run)(const pkiPaths *paths, pkiOptions *o, char **args);
} pkiCommand;

#define PKI_OPT(o, long, arg, field, desc, argdesc)                            \
    {                                                                          \
        long, 0, 0, arg, &(o)->field, desc, argdesc                            \
    }

/* The GOption entries of the options in @names, bound to @o. */
static GOptionEntry *pkiCommandEntries(pkiOptions *o, const char *const *names)
{
    const GOptionEntry all[] = {
        PKI_OPT(o, "root", G_OPTION_ARG_FILENAME, root,
                "put every path under DIR", "DIR"),
        PKI_OPT(o, "cn", G_OPTION_ARG_STRING, cn,
                "the CA's common name (default: 'vmm CA on HOSTNAME')", "NAME"),
        PKI_OPT(o, "org", G_OPTION_ARG_STRING, org,
                "organization in the subject", "O"),
        PKI_OPT(o, "days", G_OPTION_ARG_INT, days,
                "validity in days (CA 3650, others 1095; negative: already "
                "expired, for tests)",
                "N"),
        PKI_OPT(o, "key-type", G_OPTION_ARG_STRING, keyType,
                "ecdsa (P-256, default) or rsa (3072 bits)", "TYPE"),
        PKI_OPT(o, "dns", G_OPTION_ARG_STRING_ARRAY, dns,
                "another DNS name of the server (repeatable)", "NAME"),
        PKI_OPT(o, "ip", G_OPTION_ARG_STRING_ARRAY, ips,
                "an IP address of the server (repeatable)", "ADDR"),
        PKI_OPT(o, "out", G_OPTION_ARG_FILENAME, outDir,
                "write the files into DIR (client: default ./NAME)", "DIR"),
        PKI_OPT(o, "ca", G_OPTION_ARG_FILENAME, caFile,
                "check files against this CA certificate", "FILE"),
        PKI_OPT(o, "system", G_OPTION_ARG_NONE, system,
                "install for root's clients (/etc/pki/libvirt)", NULL),
        PKI_OPT(o, "force", G_OPTION_ARG_NONE, force, "replace existing files",
                NULL),
    };
    GOptionEntry *entries =
        g_new0(GOptionEntry, g_strv_length((char **)names) + 1);
    const char *const *n;
    size_t i, count = 0;

    for (n = names; *n; n++) {
        for (i = 0; i < G_N_ELEMENTS(all); i++) {
            if (g_str_equal(all[i].long_name, *n))
                entries[count++] = all[i];
        }
    }
    return entries;
}

static pkiIssueOptions pkiIssueOptionsFrom(const pkiOptions *o,
                                           const char *name)
{
    pkiIssueOptions io = {0};

    io.name = name;
    io.org = o->org;
    io.days = o->days;
    io.keyType = o->keyType;
    io.dns = (const char *const *)o->dns;
    io.ips = (const char *const *)o->ips;
    io.outDir = o->outDir;
    io.system = o->system;
    io.force = o->force;
    return io;
}

static int pkiRunInit(const pkiPaths *paths, pkiOptions *o, char **args)
{
    pkiCaOptions co = {o->cn, o->org, o->days, o->keyType, o->force};

    return pkiCaInit(paths, &co);
}

static int pkiRunServer(const pkiPaths *paths, pkiOptions *o, char **args)
{
    pkiIssueOptions io = pkiIssueOptionsFrom(o, args[0]);

    return pkiIssueServer(paths, &io);
}

static int pkiRunClient(const pkiPaths *paths, pkiOptions *o, char **args)
{
    pkiIssueOptions io = pkiIssueOptionsFrom(o, args[0]);

    return pkiIssueClient(paths, &io);
}

static int pkiRunShow(const pkiPaths *paths, pkiOptions *o, char **args)
{
    return pkiShow(paths, (const char *const *)args, o->caFile);
}

static const char *const pkiInitOptions[] = {"root",     "cn",    "org", "days",
                                             "key-type", "force", NULL};
static const char *const pkiServerOptions[] = {
    "root", "org", "days", "key-type", "dns", "ip", "out", "force", NULL};
static const char *const pkiClientOptions[] = {
    "root", "org", "days", "key-type", "out", "system", "force", NULL};
static const char *const pkiShowOptions[] = {"root", "ca", NULL};

static const pkiCommand pkiCommands[] = {
    {"init", "", 0, 0, pkiInitOptions, pkiRunInit},
    {"server", "HOSTNAME", 1, 1, pkiServerOptions, pkiRunServer},
    {"client", "NAME", 1, 1, pkiClientOptions, pkiRunClient},
    {"show", "[FILE|DIR...]", 0, -1, pkiShowOptions, pkiRunShow},
};

static const pkiCommand *pkiCommandFind(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(pkiCommands); i++) {
        if (g_str_equal(pkiCommands[i].name, name))
            return &pkiCommands[i];
    }
    return NULL;
}

/* Options before the command: --root DIR, --help. Returns the index of
 * the command word, 0 when help was printed, -1 on a bad option. */
static int pkiParseGlobal(int argc, char **argv, pkiOptions *o)
{
    int i;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (g_str_equal(argv[i], "--help") || g_str_equal(argv[i], "-h")) {
            fputs(pkiUsage, stdout);
            return 0;
        } else if (g_str_equal(argv[i], "--root") && i + 1 < argc) {
            g_free(o->root);
            o->root = g_strdup(argv[++i]);
        } else if (g_str_has_prefix(argv[i], "--root=")) {
            g_free(o->root);
            o->root = g_strdup(argv[i] + strlen("--root="));
        } else {
            fprintf(stderr, "vmm-pki: unknown option '%s'\n%s", argv[i],
                    pkiUsage);
            return -1;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "vmm-pki: no command given\n%s", pkiUsage);
        return -1;
    }
    return i;
}

/* Parse the command's own options in place; @argv is left with the
 * positional arguments after argv[0]. */
static int pkiParseCommand(const pkiCommand *cmd, int *argc, char ***argv,
                           pkiOptions *o)
{
    g_autofree GOptionEntry *entries = pkiCommandEntries(o, cmd->options);
    g_autofree char *param = g_strdup_printf("%s %s", cmd->name, cmd->args);
    g_autoptr(GOptionContext) ctx = g_option_context_new(param);
    g_autoptr(GError) err = NULL;
    int nargs;

    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx, "See vmm-pki(1).");
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        fprintf(stderr, "vmm-pki %s: %s\n", cmd->name, err->message);
        return -1;
    }
    nargs = *argc - 1;
    if (nargs < cmd->minArgs || (cmd->maxArgs >= 0 && nargs > cmd->maxArgs)) {
        fprintf(stderr, "usage: vmm-pki [--root DIR] %s\n", param);
        return -1;
    }
    return 0;
}

/* --days: 0 would make a certificate that is never valid. Unset becomes
 * 0, which the commands read as "their default". */
static int pkiCheckDays(pkiOptions *o)
{
    if (o->days == PKI_DAYS_UNSET) {
        o->days = 0;
        return 0;
    }
    if (o->days == 0 || o->days > PKI_DAYS_MAX || o->days < -PKI_DAYS_MAX) {
        fprintf(stderr,
                "vmm-pki: --days must be between 1 and %d (or "
                "negative, for an expired certificate)\n",
                PKI_DAYS_MAX);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    g_auto(pkiOptions) o = {0};
    g_autoptr(pkiPaths) paths = NULL;
    const pkiCommand *cmd;
    int cargc, i, rc;
    char **cargv;

    setlocale(LC_ALL, "");
    g_set_prgname("vmm-pki");
    o.days = PKI_DAYS_UNSET;
    if ((i = pkiParseGlobal(argc, argv, &o)) <= 0)
        return i == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    if (!(cmd = pkiCommandFind(argv[i]))) {
        fprintf(stderr, "vmm-pki: unknown command '%s'\n%s", argv[i], pkiUsage);
        return EXIT_FAILURE;
    }
    /* The command word stands in for the program name. */
    cargc = argc - i;
    cargv = argv + i;
    if (pkiParseCommand(cmd, &cargc, &cargv, &o) < 0)
        return EXIT_FAILURE;
    if (pkiCheckDays(&o) < 0)
        return EXIT_FAILURE;

    paths = pkiPathsNew(o.root);
    rc = cmd->run(paths, &o, cargv + 1);
    if (rc < 0) {
        const vmmError *err = errorGetLast();

        fprintf(stderr, "vmm-pki: %s\n",
                err && err->message ? err->message : "failed");
        return EXIT_FAILURE;
    }
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
