/*
 * vsh_parse.h: how vsh reads what the user typed. A line is cut into
 * commands and words (quotes, backslashes, ';', '#' comments), then the
 * words of one command are bound to the options of its table entry
 * (--opt, --opt=value, --opt value, or bare words filling the value
 * options in table order, as virsh does).
 *
 * This layer knows nothing of libvmm: the parser is tested on its own.
 */
#ifndef VSH_PARSE_H
#define VSH_PARSE_H

#include <glib.h>

typedef struct _vshControl vshControl;
typedef struct _vshCmd vshCmd;

typedef enum {
    VSH_OT_BOOL,   /* --flag, takes no value */
    VSH_OT_STRING, /* --opt VALUE, or a bare word */
    VSH_OT_INT,    /* like STRING; the command checks the number */
    VSH_OT_ARGV,   /* like STRING, and takes every further bare word,
                    * joined with spaces (a message, as virsh's desc) */
} vshOptType;

typedef enum {
    VSH_OPT_REQUIRED = 1 << 0,
    /* Only as --opt VALUE: bare words skip this option. */
    VSH_OPT_NO_POSITIONAL = 1 << 1,
} vshOptFlags;

/* What the interactive shell offers on <Tab> for an option's value. */
typedef enum {
    VSH_COMPLETE_NONE = 0,
    VSH_COMPLETE_DOMAIN,
    VSH_COMPLETE_FILE,
    VSH_COMPLETE_COMMAND,
} vshCompleteKind;

typedef struct {
    const char *name;
    vshOptType type;
    unsigned int flags; /* vshOptFlags */
    const char *help;
    vshCompleteKind complete;
} vshOptDef;

typedef gboolean (*vshCmdHandler)(vshControl *ctl, const vshCmd *cmd);

typedef enum {
    VSH_CMD_NOCONNECT = 1 << 0, /* runs without a connection */
} vshCmdFlags;

typedef struct {
    const char *name;
    vshCmdHandler handler;
    const vshOptDef *opts; /* ends with an entry whose name is NULL */
    const char *help;      /* one line, for `help` listings */
    const char *desc;      /* a paragraph, for `help COMMAND` */
    unsigned int flags;    /* vshCmdFlags */
} vshCmdDef;

/* Entries that many option tables share. */
#define VSH_OPT_DOMAIN \
    {.name = "domain", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED, \
     .help = "the domain: its id, UUID or name", \
     .complete = VSH_COMPLETE_DOMAIN}
/* Commands with a structured result print it as JSON with --json. */
#define VSH_OPT_JSON \
    {.name = "json", .type = VSH_OT_BOOL, .help = "print the result as JSON"}
#define VSH_OPT_FLAG(n, h) {.name = (n), .type = VSH_OT_BOOL, .help = (h)}
#define VSH_OPT_END {.name = NULL}

/* One command bound to its definition. */
struct _vshCmd {
    const vshCmdDef *def;
    /* One slot per option of def->opts: NULL when absent; "" for a
     * boolean that was given. */
    char **values;
    gboolean helpRequested; /* --help was among the words */
};

/* Cuts @line into commands. Returns a GPtrArray of GStrv (the words of
 * each command; empty commands are dropped), or NULL with *ret_error set
 * (an unclosed quote, a trailing backslash). With @partial, unclosed
 * quotes are accepted: the shell completes a line still being typed. */
GPtrArray *vshTokenize(const char *line, gboolean partial,
                       char **ret_error);

/* Binds @args (the words after the command name, NULL-terminated) to the
 * options of @def. Returns NULL with *ret_error set (virsh's wording) on
 * an unknown option, a missing value, a stray word or a missing required
 * option. */
vshCmd *vshCmdBind(const vshCmdDef *def, char *const *args,
                   char **ret_error);
void vshCmdFree(vshCmd *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshCmd, vshCmdFree);

/* The value of option @name, or NULL when it was not given. */
const char *vshCmdOptString(const vshCmd *cmd, const char *name);
gboolean vshCmdOptBool(const vshCmd *cmd, const char *name);
/* The definition of option @name in @def, or NULL. */
const vshOptDef *vshCmdDefFindOpt(const vshCmdDef *def, const char *name);

#endif /* VSH_PARSE_H */
