/*
 * vsh_parse.c: the tokenizer and the option binder of vsh (see
 * vsh_parse.h). Quoting follows the shell's rules as virsh applies them:
 * '...' is literal, "..." allows backslash escapes, a backslash outside
 * single quotes takes the next character literally, backslash-newline
 * disappears, an unquoted ';' or newline ends a command and an unquoted
 * '#' at the start of a word comments out the rest of the line.
 */
#include <config.h>

#include <string.h>

#include "vsh_parse.h"

typedef struct {
    GPtrArray *cmds;  /* of GStrv */
    GPtrArray *words; /* of char *, the command being read */
    GString *word;    /* the word being read, NULL between words */
} vshTokenizer;

static void vshTokenizerEndWord(vshTokenizer *tk)
{
    if (!tk->word)
        return;
    g_ptr_array_add(tk->words, g_string_free(tk->word, FALSE));
    tk->word = NULL;
}

static void vshTokenizerEndCommand(vshTokenizer *tk)
{
    vshTokenizerEndWord(tk);
    if (tk->words->len == 0)
        return;
    g_ptr_array_add(tk->words, NULL);
    g_ptr_array_add(tk->cmds, g_ptr_array_free(tk->words, FALSE));
    tk->words = g_ptr_array_new_with_free_func(g_free);
}

static void vshTokenizerAppend(vshTokenizer *tk, char c)
{
    if (!tk->word)
        tk->word = g_string_new(NULL);
    g_string_append_c(tk->word, c);
}

static void vshTokenizerClear(vshTokenizer *tk)
{
    if (tk->word)
        g_string_free(tk->word, TRUE);
    g_ptr_array_unref(tk->words);
    if (tk->cmds)
        g_ptr_array_unref(tk->cmds);
}

GPtrArray *vshTokenize(const char *line, gboolean partial, char **ret_error)
{
    vshTokenizer tk = {
        .cmds = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev),
        .words = g_ptr_array_new_with_free_func(g_free),
    };
    gboolean squote = FALSE;
    gboolean dquote = FALSE;
    const char *p;

    for (p = line; *p; p++) {
        char c = *p;

        if (c == '\\' && p[1] == '\n' && !squote) {
            p++; /* a continued line */
        } else if (squote) {
            if (c == '\'')
                squote = FALSE;
            else
                vshTokenizerAppend(&tk, c);
        } else if (c == '\\') {
            if (p[1] == '\0') {
                if (partial)
                    break;
                *ret_error = g_strdup("dangling \\");
                vshTokenizerClear(&tk);
                return NULL;
            }
            vshTokenizerAppend(&tk, *++p);
        } else if (dquote) {
            if (c == '"')
                dquote = FALSE;
            else
                vshTokenizerAppend(&tk, c);
        } else if (c == '\'' || c == '"') {
            squote = c == '\'';
            dquote = c == '"';
            if (!tk.word) /* "" is an empty word, not no word */
                tk.word = g_string_new(NULL);
        } else if (c == ' ' || c == '\t' || c == '\r') {
            vshTokenizerEndWord(&tk);
        } else if (c == ';' || c == '\n') {
            vshTokenizerEndCommand(&tk);
        } else if (c == '#' && !tk.word) {
            while (p[1] && p[1] != '\n')
                p++;
        } else {
            vshTokenizerAppend(&tk, c);
        }
    }

    if ((squote || dquote) && !partial) {
        *ret_error = g_strdup(squote ? "missing '" : "missing \"");
        vshTokenizerClear(&tk);
        return NULL;
    }
    vshTokenizerEndCommand(&tk);
    g_ptr_array_unref(tk.words);
    return tk.cmds;
}

static gssize vshCmdDefOptIndex(const vshCmdDef *def, const char *name)
{
    gssize i;

    for (i = 0; def->opts && def->opts[i].name; i++) {
        if (strcmp(def->opts[i].name, name) == 0)
            return i;
    }
    return -1;
}

const vshOptDef *vshCmdDefFindOpt(const vshCmdDef *def, const char *name)
{
    gssize i = vshCmdDefOptIndex(def, name);

    return i < 0 ? NULL : &def->opts[i];
}

static gsize vshCmdDefOptCount(const vshCmdDef *def)
{
    gsize n = 0;

    while (def->opts && def->opts[n].name)
        n++;
    return n;
}

void vshCmdFree(vshCmd *cmd)
{
    gsize i;

    if (!cmd)
        return;
    if (cmd->values) {
        for (i = 0; i < vshCmdDefOptCount(cmd->def); i++)
            g_free(cmd->values[i]);
        g_free(cmd->values);
    }
    g_free(cmd);
}

/* The first value option not yet given that accepts a bare word. */
static gssize vshCmdNextPositional(const vshCmd *cmd)
{
    gssize i;

    for (i = 0; cmd->def->opts && cmd->def->opts[i].name; i++) {
        const vshOptDef *opt = &cmd->def->opts[i];

        if (opt->type == VSH_OT_BOOL || (opt->flags & VSH_OPT_NO_POSITIONAL))
            continue;
        if (!cmd->values[i] || opt->type == VSH_OT_ARGV)
            return i;
    }
    return -1;
}

static gboolean vshCmdBindPositional(vshCmd *cmd, const char *word,
                                     char **ret_error)
{
    gssize i = vshCmdNextPositional(cmd);

    if (i < 0) {
        /* help ignores stray words, as virsh's does */
        if (strcmp(cmd->def->name, "help") == 0)
            return TRUE;
        *ret_error = g_strdup_printf("unexpected data '%s'", word);
        return FALSE;
    }
    if (cmd->values[i]) { /* VSH_OT_ARGV: one more word */
        char *joined = g_strdup_printf("%s %s", cmd->values[i], word);

        g_free(cmd->values[i]);
        cmd->values[i] = joined;
        return TRUE;
    }
    cmd->values[i] = g_strdup(word);
    return TRUE;
}

/* Binds "--name", "--name=value" or "--name value" (consuming the next
 * word); *consumed tells the caller whether it did. */
static gboolean vshCmdBindOption(vshCmd *cmd, const char *word,
                                 const char *next, gboolean *consumed,
                                 char **ret_error)
{
    g_autofree char *name = g_strdup(word + 2);
    char *eq = strchr(name, '=');
    const vshOptDef *opt;
    gssize i;

    *consumed = FALSE;
    if (eq)
        *eq = '\0';
    if (strcmp(name, "help") == 0) {
        cmd->helpRequested = TRUE;
        return TRUE;
    }
    if ((i = vshCmdDefOptIndex(cmd->def, name)) < 0) {
        *ret_error = g_strdup_printf("command '%s' doesn't support option --%s",
                                     cmd->def->name, name);
        return FALSE;
    }
    opt = &cmd->def->opts[i];
    if (cmd->values[i]) {
        *ret_error = g_strdup_printf("option --%s already seen", name);
        return FALSE;
    }
    if (opt->type == VSH_OT_BOOL) {
        if (eq) {
            *ret_error = g_strdup_printf("invalid '=' after option --%s", name);
            return FALSE;
        }
        cmd->values[i] = g_strdup("");
        return TRUE;
    }
    if (eq) {
        cmd->values[i] = g_strdup(eq + 1);
        return TRUE;
    }
    if (!next) {
        *ret_error = g_strdup_printf("expected syntax: --%s <%s>", name,
                                     opt->type == VSH_OT_INT ? "number" : "string");
        return FALSE;
    }
    cmd->values[i] = g_strdup(next);
    *consumed = TRUE;
    return TRUE;
}

static gboolean vshCmdCheckRequired(const vshCmd *cmd, char **ret_error)
{
    gsize i;

    if (cmd->helpRequested)
        return TRUE;
    for (i = 0; cmd->def->opts && cmd->def->opts[i].name; i++) {
        const vshOptDef *opt = &cmd->def->opts[i];

        if ((opt->flags & VSH_OPT_REQUIRED) && !cmd->values[i]) {
            *ret_error = g_strdup_printf(
                (opt->flags & VSH_OPT_NO_POSITIONAL) ?
                    "command '%s' requires --%s option" :
                    "command '%s' requires <%s> option",
                cmd->def->name, opt->name);
            return FALSE;
        }
    }
    return TRUE;
}

vshCmd *vshCmdBind(const vshCmdDef *def, char *const *args, char **ret_error)
{
    g_autoptr(vshCmd) cmd = g_new0(vshCmd, 1);
    gboolean onlyPositional = FALSE;
    gsize i;

    cmd->def = def;
    cmd->values = g_new0(char *, vshCmdDefOptCount(def) + 1);

    for (i = 0; args && args[i]; i++) {
        const char *word = args[i];
        gboolean consumed = FALSE;

        if (onlyPositional || !g_str_has_prefix(word, "--")) {
            if (!vshCmdBindPositional(cmd, word, ret_error))
                return NULL;
        } else if (word[2] == '\0') {
            onlyPositional = TRUE; /* "--": the rest are bare words */
        } else {
            if (!vshCmdBindOption(cmd, word, args[i + 1], &consumed, ret_error))
                return NULL;
            if (consumed)
                i++;
        }
    }
    if (!vshCmdCheckRequired(cmd, ret_error))
        return NULL;
    return g_steal_pointer(&cmd);
}

const char *vshCmdOptString(const vshCmd *cmd, const char *name)
{
    gssize i = vshCmdDefOptIndex(cmd->def, name);

    g_return_val_if_fail(i >= 0, NULL);
    return cmd->values[i];
}

gboolean vshCmdOptBool(const vshCmd *cmd, const char *name)
{
    gssize i = vshCmdDefOptIndex(cmd->def, name);

    if (i < 0) /* commands ask about --json whether they have it or not */
        return FALSE;
    return cmd->values[i] != NULL;
}
