/*
 * vsh.h: the state of one vsh session and the helpers every command
 * uses: the connection (opened on first need), domain lookup by id, UUID
 * or name, numeric options, and running a line of commands.
 */
#ifndef VSH_H
#define VSH_H

#include <vmm/vmm.h>

#include "vsh_json.h"
#include "vsh_parse.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmDomain, vmmDomainFree);

struct _vshControl {
    char *uri;          /* -c / connect; NULL: $VMM_DEFAULT_URI */
    gboolean readonly;  /* -r / connect --readonly */
    gboolean quiet;     /* -q: no headers, no chatter */
    gboolean json;      /* global --json */
    gboolean interactive;
    gboolean quit;      /* quit/exit was run */
    gboolean failed;    /* some command failed: exit status 1 */
    char *escape;       /* -e: console escape sequence (kept for console) */
    vmmConnectPtr conn;

    /* While one command runs. */
    gboolean jsonCmd;   /* it prints JSON rather than text */
    GString *capture;   /* JSON mode: text output goes here */
    vshJson *result;    /* JSON mode: the command's structured result */
    GPtrArray *errors;  /* error lines printed by it */
    int libErrCode;     /* the library error it reported, or -1 */
    int libErrDomain;
    /* The library's latest error, kept by an error handler: the thread's
     * own is cleared by the next call, even vmmDomainFree in a cleanup. */
    int savedErrCode;   /* VMM_ERR_OK: none */
    int savedErrDomain;
    char *savedErrMessage;

    /* Global --json: one element per command, printed at exit. */
    vshJson *jsonDoc;   /* array of {"command":..., "result"|"error":...} */
    gboolean jsonArray; /* print all of jsonDoc, not its one result */
};

/* The connection, opened now if need be; NULL after reporting why. */
vmmConnectPtr vshConn(vshControl *ctl);
/* Closes any connection and opens @uri (NULL: the default one). */
gboolean vshReconnect(vshControl *ctl, const char *uri, gboolean readonly);

/* The domain named by option "domain": an id, a UUID or a name, tried in
 * that order. Reports "failed to get domain 'X'" and returns NULL. */
vmmDomainPtr vshCommandOptDomain(vshControl *ctl, const vshCmd *cmd,
                                 const char **ret_name);
vmmDomainPtr vshLookupDomain(vshControl *ctl, const char *name);

/* Numeric options: 0 when absent, 1 when set, -1 after reporting a bad
 * value. Scaled values take a suffix (KiB by default: k, M, G, T, or b). */
int vshCommandOptUInt(vshControl *ctl, const vshCmd *cmd, const char *name,
                      unsigned int *ret_value);
int vshCommandOptScaledKiB(vshControl *ctl, const vshCmd *cmd,
                           const char *name, unsigned long *ret_value);
/* FALSE after reporting that @a and @b were both given. */
gboolean vshOptionsExclusive(vshControl *ctl, const vshCmd *cmd,
                             const char *a, const char *b);

/* A boolean option and the flag bit it stands for; tables of them end
 * with {NULL, 0}. */
typedef struct {
    const char *name;
    unsigned int flag;
} vshOptFlag;

/* The bits of @table whose options @cmd gives. */
unsigned int vshCommandOptFlags(const vshCmd *cmd, const vshOptFlag *table);
/* --current / --live / --config as a vmmDomainModificationImpact, after
 * checking that --current stands alone; FALSE after reporting. */
gboolean vshCommandOptImpact(vshControl *ctl, const vshCmd *cmd,
                             unsigned int *ret_flags);

/* Reads an XML file named by a command (at most 10 MiB); NULL after
 * reporting why. */
char *vshReadFile(vshControl *ctl, const char *path);

/* Parses and runs one line of commands; FALSE when any failed. */
gboolean vshRunLine(vshControl *ctl, const char *line);
/* The same for commands already cut into words (GPtrArray of GStrv). */
gboolean vshRunCommands(vshControl *ctl, GPtrArray *cmds);
/* TRUE when the command being run prints JSON. */
gboolean vshWantJson(vshControl *ctl);

#endif /* VSH_H */
