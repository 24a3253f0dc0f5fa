/*
 * vsh_readline.c: the interactive shell on a terminal (see
 * vsh_readline.h). History lives in $XDG_CACHE_HOME/vsh/history
 * (~/.cache/vsh/history by default); <Tab> completes command names, the
 * options of the command being typed, domain names and file names.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "vsh_readline.h"
#include "vsh_output.h"
#include "vsh_table.h"

#define VSH_HISTORY_MAX 500

/* The state of one completion, for the generator readline calls. */
static vshControl *vshCompleteCtl;
static GPtrArray *vshCandidates; /* of char *, owned */
static guint vshCandidateIndex;

static char *vshCompleteGenerator(const char *text, int state)
{
    size_t len = strlen(text);

    if (state == 0)
        vshCandidateIndex = 0;
    while (vshCandidates && vshCandidateIndex < vshCandidates->len) {
        const char *c = g_ptr_array_index(vshCandidates, vshCandidateIndex++);

        if (strncmp(c, text, len) == 0)
            return strdup(c); /* readline frees it with free() */
    }
    return NULL;
}

static void vshCandidatesCommands(void)
{
    g_autoptr(GPtrArray) all = vshTableAllCommands();
    guint i;

    for (i = 0; i < all->len; i++) {
        const vshCmdDef *def = g_ptr_array_index(all, i);

        g_ptr_array_add(vshCandidates, g_strdup(def->name));
    }
}

static gboolean vshWordsHaveOption(char **words, const char *name)
{
    gsize len = strlen(name);
    gsize i;

    for (i = 1; words[i]; i++) {
        if (g_str_has_prefix(words[i], "--") &&
            strncmp(words[i] + 2, name, len) == 0 &&
            (words[i][2 + len] == '\0' || words[i][2 + len] == '='))
            return TRUE;
    }
    return FALSE;
}

static void vshCandidatesOptions(const vshCmdDef *def, char **words)
{
    const vshOptDef *opt;

    for (opt = def->opts; opt && opt->name; opt++) {
        if (!vshWordsHaveOption(words, opt->name))
            g_ptr_array_add(vshCandidates, g_strdup_printf("--%s", opt->name));
    }
}

static void vshCandidatesDomains(vshControl *ctl)
{
    vmmDomainPtr *doms = NULL;
    int n, i;

    if (!ctl->conn && !ctl->uri && !g_getenv("VMM_DEFAULT_URI"))
        return;
    if (!vshConn(ctl))
        return;
    if ((n = vmmConnectListAllDomains(ctl->conn, &doms, 0)) < 0) {
        vshResetLibError(ctl);
        return;
    }
    for (i = 0; i < n; i++) {
        g_ptr_array_add(vshCandidates, g_strdup(vmmDomainGetName(doms[i])));
        vmmDomainFree(doms[i]);
    }
    free(doms);
}

/* Which option the word being typed is a value of: the one named just
 * before it, else the next option that takes bare words. */
static const vshOptDef *vshCompleteTarget(const vshCmdDef *def, char **words,
                                          gboolean typingNewWord)
{
    g_autofree gboolean *given = NULL;
    const vshOptDef *pending = NULL;
    gsize nopts = 0, i;

    while (def->opts && def->opts[nopts].name)
        nopts++;
    given = g_new0(gboolean, nopts + 1);
    for (i = 1; words[i]; i++) {
        const vshOptDef *opt;

        if (!typingNewWord && !words[i + 1])
            break; /* the word being completed itself */
        if (pending) {
            pending = NULL;
            continue;
        }
        if (g_str_has_prefix(words[i], "--")) {
            if ((opt = vshCmdDefFindOpt(def, words[i] + 2))) {
                given[opt - def->opts] = TRUE;
                if (opt->type != VSH_OT_BOOL)
                    pending = opt;
            }
            continue;
        }
        for (opt = def->opts; opt && opt->name; opt++) {
            if (opt->type != VSH_OT_BOOL &&
                !(opt->flags & VSH_OPT_NO_POSITIONAL) &&
                !given[opt - def->opts]) {
                given[opt - def->opts] = TRUE;
                break;
            }
        }
    }
    if (pending)
        return pending;
    for (i = 0; i < nopts; i++) {
        const vshOptDef *opt = &def->opts[i];

        if (opt->type != VSH_OT_BOOL && !(opt->flags & VSH_OPT_NO_POSITIONAL) &&
            !given[i])
            return opt;
    }
    return NULL;
}

/* Fills vshCandidates for the line typed so far; FALSE asks readline to
 * complete file names instead. */
static gboolean vshCompleteFill(const char *text, int start)
{
    g_autofree char *before = g_strndup(rl_line_buffer, start);
    g_autoptr(GPtrArray) cmds = vshTokenize(before, TRUE, NULL);
    g_autofree char *trimmed = g_strchomp(g_strdup(before));
    const vshOptDef *target;
    const vshCmdDef *def;
    char **words;

    if (!cmds || cmds->len == 0 || g_str_has_suffix(trimmed, ";")) {
        vshCandidatesCommands();
        return TRUE;
    }
    words = g_ptr_array_index(cmds, cmds->len - 1);
    if (!(def = vshTableLookup(words[0])))
        return TRUE;
    if (text[0] == '-') {
        vshCandidatesOptions(def, words);
        return TRUE;
    }
    target = vshCompleteTarget(def, words, TRUE);
    if (!target)
        return TRUE;
    switch (target->complete) {
    case VSH_COMPLETE_DOMAIN:
        vshCandidatesDomains(vshCompleteCtl);
        break;
    case VSH_COMPLETE_COMMAND:
        vshCandidatesCommands();
        break;
    case VSH_COMPLETE_FILE:
        return FALSE;
    case VSH_COMPLETE_NONE:
        break;
    }
    return TRUE;
}

static char **vshComplete(const char *text, int start, int end)
{
    gboolean ours;

    if (vshCandidates)
        g_ptr_array_unref(vshCandidates);
    vshCandidates = g_ptr_array_new_with_free_func(g_free);
    ours = vshCompleteFill(text, start);
    rl_attempted_completion_over = ours;
    if (!ours)
        return NULL;
    return rl_completion_matches(text, vshCompleteGenerator);
}

static char *vshHistoryPath(void)
{
    return g_build_filename(g_get_user_cache_dir(), "vsh", "history", NULL);
}

static void vshHistoryLoad(const char *path)
{
    stifle_history(VSH_HISTORY_MAX);
    read_history(path); /* none yet is fine */
}

static void vshHistorySave(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    if (g_mkdir_with_parents(dir, 0700) < 0)
        return; /* history is a convenience, not worth an error */
    write_history(path);
}

void vshReadlineLoop(vshControl *ctl)
{
    g_autofree char *history = vshHistoryPath();

    vshCompleteCtl = ctl;
    rl_readline_name = "vsh";
    rl_attempted_completion_function = vshComplete;
    vshHistoryLoad(history);

    if (!ctl->quiet)
        vshPrint(ctl, "Welcome to vsh, the vmm interactive terminal.\n"
                      "Type 'help' for the commands, 'quit' to leave.\n\n");
    while (!ctl->quit) {
        char *line = readline(ctl->readonly ? "vsh > " : "vsh # ");

        if (!line) {
            vshPrint(ctl, "\n");
            break;
        }
        if (*line)
            add_history(line);
        vshRunLine(ctl, line);
        free(line);
    }
    vshHistorySave(history);
    if (vshCandidates)
        g_clear_pointer(&vshCandidates, g_ptr_array_unref);
}
