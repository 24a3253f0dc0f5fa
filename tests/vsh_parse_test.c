/*
 * vsh_parse_test.c: the vsh tokenizer (quotes, escapes, ';', comments)
 * and the binding of words to a command's options.
 */
#include <config.h>

#include "vsh_parse.h"

/* The commands of @line, each as its words joined by '|', commands
 * joined by " ; ". */
static char *tokenizeJoined(const char *line)
{
    g_autoptr(GPtrArray) cmds = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree char *err = NULL;
    guint i;

    cmds = vshTokenize(line, FALSE, &err);
    if (!cmds)
        return g_strdup_printf("ERROR: %s", err);
    for (i = 0; i < cmds->len; i++) {
        g_autofree char *joined = g_strjoinv("|", g_ptr_array_index(cmds, i));

        g_string_append_printf(out, "%s%s", i ? " ; " : "", joined);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void checkTokens(const char *line, const char *expect)
{
    g_autofree char *got = tokenizeJoined(line);

    g_assert_cmpstr(got, ==, expect);
}

static void testTokenizeWords(void)
{
    checkTokens("list", "list");
    checkTokens("  list   --all\t--name  ", "list|--all|--name");
    checkTokens("", "");
    checkTokens("   ", "");
}

static void testTokenizeQuotes(void)
{
    checkTokens("desc test 'a b  c'", "desc|test|a b  c");
    checkTokens("desc test \"a 'b' c\"", "desc|test|a 'b' c");
    checkTokens("desc test 'say \"hi\"'", "desc|test|say \"hi\"");
    checkTokens("x a'b c'd", "x|ab cd");
    checkTokens("x '' \"\" end", "x|||end");
    checkTokens("x 'a;b' \"c;d\"", "x|a;b|c;d");
    checkTokens("x '#not a comment'", "x|#not a comment");
}

static void testTokenizeEscapes(void)
{
    checkTokens("x a\\ b", "x|a b");
    checkTokens("x \\'q", "x|'q");
    checkTokens("x \"a\\\"b\"", "x|a\"b");
    checkTokens("x 'a\\b'", "x|a\\b");
    checkTokens("x a\\;b", "x|a;b");
    checkTokens("x a\\\nb", "x|ab");
    checkTokens("x a\\", "ERROR: dangling \\");
}

static void testTokenizeSeparators(void)
{
    checkTokens("list; dominfo test", "list ; dominfo|test");
    checkTokens("list;dominfo test;", "list ; dominfo|test");
    checkTokens(";;list;;", "list");
    checkTokens("list\ndomstate 1", "list ; domstate|1");
    checkTokens("list # the rest; is ignored", "list");
    checkTokens("# all comment", "");
    checkTokens("a#b c", "a#b|c");
    checkTokens("x # c\ny", "x ; y");
}

static void testTokenizeUnclosed(void)
{
    g_autoptr(GPtrArray) cmds = NULL;

    checkTokens("x 'open", "ERROR: missing '");
    checkTokens("x \"open", "ERROR: missing \"");
    /* completion reads a line still being typed */
    cmds = vshTokenize("dominfo 'te", TRUE, NULL);
    g_assert_nonnull(cmds);
    g_assert_cmpuint(cmds->len, ==, 1);
    g_assert_cmpstr(((char **)g_ptr_array_index(cmds, 0))[1], ==, "te");
}

static gboolean handlerUnused(vshControl *ctl, const vshCmd *cmd)
{
    return TRUE;
}

static const vshOptDef optsSave[] = {
    {.name = "domain", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED},
    {.name = "file", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED},
    {.name = "running", .type = VSH_OT_BOOL},
    {.name = "mode", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL},
    {.name = "count", .type = VSH_OT_INT},
    {.name = NULL},
};

static const vshCmdDef defSave = {
    .name = "save", .handler = handlerUnused, .opts = optsSave,
};

static const vshCmdDef defHelp = {
    .name = "help", .handler = handlerUnused, .opts = optsSave + 4,
};

/* Binds the words of @line (after the command name) to defSave. */
static vshCmd *bindLine(const vshCmdDef *def, const char *line, char **err)
{
    g_autoptr(GPtrArray) cmds = vshTokenize(line, FALSE, err);

    g_assert_nonnull(cmds);
    return vshCmdBind(def, (char **)g_ptr_array_index(cmds, 0) + 1, err);
}

static void testBindPositional(void)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = bindLine(&defSave, "save web1 /tmp/f 7", &err);

    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "domain"), ==, "web1");
    g_assert_cmpstr(vshCmdOptString(cmd, "file"), ==, "/tmp/f");
    g_assert_cmpstr(vshCmdOptString(cmd, "count"), ==, "7");
    g_assert_null(vshCmdOptString(cmd, "mode"));
    g_assert_false(vshCmdOptBool(cmd, "running"));
    g_assert_false(vshCmdOptBool(cmd, "json")); /* unknown: just FALSE */
}

static void testBindNamed(void)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = bindLine(
        &defSave, "save --file=/x --running --domain web1 --mode acpi", &err);

    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "domain"), ==, "web1");
    g_assert_cmpstr(vshCmdOptString(cmd, "file"), ==, "/x");
    g_assert_cmpstr(vshCmdOptString(cmd, "mode"), ==, "acpi");
    g_assert_true(vshCmdOptBool(cmd, "running"));
}

static void testBindMixed(void)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = NULL;

    /* a named option is skipped when bare words are bound */
    cmd = bindLine(&defSave, "save --domain web1 /tmp/f", &err);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "file"), ==, "/tmp/f");
    g_clear_pointer(&cmd, vshCmdFree);

    /* after "--" even --words are values */
    cmd = bindLine(&defSave, "save -- --odd-name file", &err);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "domain"), ==, "--odd-name");
    g_clear_pointer(&cmd, vshCmdFree);

    /* an empty value is a value */
    cmd = bindLine(&defSave, "save '' --file=", &err);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "domain"), ==, "");
    g_assert_cmpstr(vshCmdOptString(cmd, "file"), ==, "");
}

static const vshOptDef optsDesc[] = {
    {.name = "domain", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED},
    {.name = "title", .type = VSH_OT_BOOL},
    {.name = "new-desc", .type = VSH_OT_ARGV},
    {.name = NULL},
};

static const vshCmdDef defDesc = {
    .name = "desc", .handler = handlerUnused, .opts = optsDesc,
};

static void testBindArgv(void)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = NULL;

    cmd = bindLine(&defDesc, "desc web1 a  new 'text  here' --title", &err);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "new-desc"), ==, "a new text  here");
    g_assert_true(vshCmdOptBool(cmd, "title"));
    g_clear_pointer(&cmd, vshCmdFree);

    cmd = bindLine(&defDesc, "desc --new-desc=one web1 two", &err);
    g_assert_nonnull(cmd);
    g_assert_cmpstr(vshCmdOptString(cmd, "domain"), ==, "web1");
    g_assert_cmpstr(vshCmdOptString(cmd, "new-desc"), ==, "one two");
}

static void checkBindError(const vshCmdDef *def, const char *line,
                           const char *expect)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = bindLine(def, line, &err);

    g_assert_null(cmd);
    g_assert_cmpstr(err, ==, expect);
}

static void testBindErrors(void)
{
    checkBindError(&defSave, "save web1 f --bogus",
                   "command 'save' doesn't support option --bogus");
    checkBindError(&defSave, "save web1",
                   "command 'save' requires <file> option");
    checkBindError(&defSave, "save",
                   "command 'save' requires <domain> option");
    checkBindError(&defSave, "save a b 1 extra", "unexpected data 'extra'");
    checkBindError(&defSave, "save a b --mode",
                   "expected syntax: --mode <string>");
    checkBindError(&defSave, "save a b --count",
                   "expected syntax: --count <number>");
    checkBindError(&defSave, "save a b --running=yes",
                   "invalid '=' after option --running");
    checkBindError(&defSave, "save a --domain b c",
                   "option --domain already seen");
}

static void testBindHelp(void)
{
    g_autofree char *err = NULL;
    g_autoptr(vshCmd) cmd = bindLine(&defSave, "save --help", &err);
    g_autoptr(vshCmd) help = NULL;

    /* --help skips the required options */
    g_assert_nonnull(cmd);
    g_assert_true(cmd->helpRequested);
    /* help ignores stray words */
    help = bindLine(&defHelp, "help 1 2 3", &err);
    g_assert_nonnull(help);
    g_assert_cmpstr(vshCmdOptString(help, "count"), ==, "1");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vsh/tokenize/words", testTokenizeWords);
    g_test_add_func("/vsh/tokenize/quotes", testTokenizeQuotes);
    g_test_add_func("/vsh/tokenize/escapes", testTokenizeEscapes);
    g_test_add_func("/vsh/tokenize/separators", testTokenizeSeparators);
    g_test_add_func("/vsh/tokenize/unclosed", testTokenizeUnclosed);
    g_test_add_func("/vsh/bind/positional", testBindPositional);
    g_test_add_func("/vsh/bind/named", testBindNamed);
    g_test_add_func("/vsh/bind/mixed", testBindMixed);
    g_test_add_func("/vsh/bind/argv", testBindArgv);
    g_test_add_func("/vsh/bind/errors", testBindErrors);
    g_test_add_func("/vsh/bind/help", testBindHelp);
    return g_test_run();
}
