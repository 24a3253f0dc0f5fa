/*
 * vsh_cmd_snapshot.c: `snapshot-create-as DOMAIN [NAME] [--description
 * TEXT]`, `snapshot-list DOMAIN [--name]`, `snapshot-revert DOMAIN
 * SNAPSHOT [--running|--paused]` and `snapshot-delete DOMAIN SNAPSHOT
 * [--metadata]`, `snapshot-current DOMAIN [--name]`. Messages and the
 * list's columns are virsh's.
 *
 * The list shows what the snapshot's XML says (creationTime, state);
 * vsh sees only the public API, so those two elements are picked out of
 * the text rather than parsed as a document.
 */
#include <config.h>

#include <string.h>
#include <time.h>

#include "vsh.h"
#include "vsh_cmd_snapshot.h"
#include "vsh_output.h"

/* The text of the first <@tag> element of @xml, or NULL. */
static char *vshSnapshotXMLText(const char *xml, const char *tag)
{
    g_autofree char *open = g_strdup_printf("<%s>", tag);
    g_autofree char *close = g_strdup_printf("</%s>", tag);
    const char *start = strstr(xml, open);
    const char *end;

    if (!start)
        return NULL;
    start += strlen(open);
    if (!(end = strstr(start, close)))
        return NULL;
    return g_strndup(start, end - start);
}

/* "2024-01-31 12:00:00 +0000" in local time, as virsh prints it. */
static char *vshSnapshotTime(const char *epoch)
{
    char buf[64];
    time_t t;
    struct tm tm;

    if (!epoch)
        return g_strdup("");
    t = (time_t)g_ascii_strtoll(epoch, NULL, 10);
    if (!localtime_r(&t, &tm) ||
        strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
        return g_strdup(epoch);
    return g_strdup(buf);
}

static gboolean cmdSnapshotCreateAs(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    const char *name = vshCmdOptString(cmd, "name");
    const char *desc = vshCmdOptString(cmd, "description");
    g_autoptr(GString) xml = g_string_new("<domainsnapshot>\n");
    g_autofree char *nameEsc = name ? g_markup_escape_text(name, -1) : NULL;
    g_autofree char *descEsc = desc ? g_markup_escape_text(desc, -1) : NULL;
    vmmDomainSnapshotPtr snap;

    if (!dom)
        return FALSE;
    if (nameEsc)
        g_string_append_printf(xml, "  <name>%s</name>\n", nameEsc);
    if (descEsc)
        g_string_append_printf(xml, "  <description>%s</description>\n",
                               descEsc);
    g_string_append(xml, "</domainsnapshot>\n");
    if (!(snap = vmmDomainSnapshotCreateXML(dom, xml->str, 0)))
        return FALSE;
    vshPrintExtra(ctl, "Domain snapshot %s created\n",
                  vmmDomainSnapshotGetName(snap));
    vmmDomainSnapshotFree(snap);
    return TRUE;
}

/* One row of snapshot-list for @snap. */
static gboolean vshSnapshotRow(vshControl *ctl, vshTable *table,
                               vmmDomainSnapshotPtr snap)
{
    g_autofree char *xml = vmmDomainSnapshotGetXMLDesc(snap, 0);
    g_autofree char *when = NULL;
    g_autofree char *epoch = NULL;
    g_autofree char *state = NULL;

    if (!xml)
        return FALSE;
    epoch = vshSnapshotXMLText(xml, "creationTime");
    state = vshSnapshotXMLText(xml, "state");
    when = vshSnapshotTime(epoch);
    vshTableAddRow(table, vmmDomainSnapshotGetName(snap), when,
                   state ? state : "", NULL);
    return TRUE;
}

static gboolean cmdSnapshotList(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    g_autoptr(vshTable) table = NULL;
    vmmDomainSnapshotPtr *snaps = NULL;
    gboolean namesOnly = vshCmdOptBool(cmd, "name");
    gboolean ok = TRUE;
    int n;

    if (!dom)
        return FALSE;
    if ((n = vmmDomainListAllSnapshots(dom, &snaps, 0)) < 0)
        return FALSE;
    table = vshTableNew("Name", "Creation Time", "State", NULL);
    for (int i = 0; i < n; i++) {
        if (namesOnly)
            vshPrint(ctl, "%s\n", vmmDomainSnapshotGetName(snaps[i]));
        else if (ok && !vshSnapshotRow(ctl, table, snaps[i]))
            ok = FALSE;
        vmmDomainSnapshotFree(snaps[i]);
    }
    g_free(snaps);
    if (ok && !namesOnly)
        vshTablePrint(ctl, table);
    return ok;
}

/* The snapshot named by option "snapshotname" of @dom. */
static vmmDomainSnapshotPtr vshCommandOptSnapshot(const vshCmd *cmd,
                                                  vmmDomainPtr dom)
{
    const char *name = vshCmdOptString(cmd, "snapshotname");

    return vmmDomainSnapshotLookupByName(dom, name, 0);
}

static gboolean cmdSnapshotRevert(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    static const vshOptFlag table[] = {
        {"running", VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING},
        {"paused", VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED},
        {NULL, 0},
    };
    vmmDomainSnapshotPtr snap;
    int rc;

    if (!dom || !vshOptionsExclusive(ctl, cmd, "running", "paused"))
        return FALSE;
    if (!(snap = vshCommandOptSnapshot(cmd, dom)))
        return FALSE;
    rc = vmmDomainRevertToSnapshot(snap, vshCommandOptFlags(cmd, table));
    vmmDomainSnapshotFree(snap);
    return rc == 0;
}

static gboolean cmdSnapshotDelete(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    g_autofree char *name = NULL;
    vmmDomainSnapshotPtr snap;
    unsigned int flags = 0;
    int rc;

    if (!dom)
        return FALSE;
    if (vshCmdOptBool(cmd, "metadata"))
        flags |= VMM_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    if (!(snap = vshCommandOptSnapshot(cmd, dom)))
        return FALSE;
    name = g_strdup(vmmDomainSnapshotGetName(snap));
    rc = vmmDomainSnapshotDelete(snap, flags);
    vmmDomainSnapshotFree(snap);
    if (rc < 0) {
        vshError(ctl, "Failed to delete snapshot %s", name);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain snapshot %s deleted\n", name);
    return TRUE;
}

static gboolean cmdSnapshotCurrent(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    g_autofree char *xml = NULL;
    vmmDomainSnapshotPtr snap;
    int has;

    if (!dom || (has = vmmDomainHasCurrentSnapshot(dom, 0)) < 0)
        return FALSE;
    if (has == 0) {
        vshError(ctl, "domain '%s' has no current snapshot",
                 vmmDomainGetName(dom));
        return FALSE;
    }
    if (!(snap = vmmDomainSnapshotCurrent(dom, 0)))
        return FALSE;
    if (vshCmdOptBool(cmd, "name")) {
        vshPrint(ctl, "%s\n", vmmDomainSnapshotGetName(snap));
    } else if ((xml = vmmDomainSnapshotGetXMLDesc(snap, 0))) {
        vshPrint(ctl, "%s", xml);
    }
    vmmDomainSnapshotFree(snap);
    return !vshCmdOptBool(cmd, "name") ? xml != NULL : TRUE;
}

static const vshOptDef optsSnapshotCurrent[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("name", "print the snapshot's name only"),
    VSH_OPT_END,
};

static const vshOptDef optsSnapshotCreateAs[] = {
    VSH_OPT_DOMAIN,
    {.name = "name",
     .type = VSH_OT_STRING,
     .help = "the snapshot's name (default: the current time)"},
    {.name = "description",
     .type = VSH_OT_STRING,
     .help = "a description of the snapshot"},
    VSH_OPT_END,
};

static const vshOptDef optsSnapshotList[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("name", "list the snapshot names only"),
    VSH_OPT_END,
};

#define VSH_OPT_SNAPSHOT                                                       \
    {                                                                          \
        .name = "snapshotname", .type = VSH_OT_STRING,                         \
        .flags = VSH_OPT_REQUIRED, .help = "the snapshot's name"               \
    }

static const vshOptDef optsSnapshotRevert[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_SNAPSHOT,
    VSH_OPT_FLAG("running", "run the domain after the revert"),
    VSH_OPT_FLAG("paused", "leave the domain paused after the revert"),
    VSH_OPT_END,
};

static const vshOptDef optsSnapshotDelete[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_SNAPSHOT,
    VSH_OPT_FLAG("metadata", "forget the snapshot, leave the disk images"),
    VSH_OPT_END,
};

const vshCmdDef vshSnapshotCmds[] = {
    {.name = "snapshot-create-as",
     .handler = cmdSnapshotCreateAs,
     .opts = optsSnapshotCreateAs,
     .help = "take a snapshot of a domain",
     .desc = "Take an internal snapshot of the domain's qcow2 disks, and "
             "of its memory when it runs."},
    {.name = "snapshot-current",
     .handler = cmdSnapshotCurrent,
     .opts = optsSnapshotCurrent,
     .help = "print the current snapshot of a domain",
     .desc = "Print the XML of the domain's current snapshot (the last one "
             "taken or reverted to), or with --name its name."},
    {.name = "snapshot-delete",
     .handler = cmdSnapshotDelete,
     .opts = optsSnapshotDelete,
     .help = "remove a snapshot",
     .desc = "Delete a snapshot from the disk images and forget it."},
    {.name = "snapshot-list",
     .handler = cmdSnapshotList,
     .opts = optsSnapshotList,
     .help = "print the snapshots of a domain",
     .desc = "List the domain's snapshots with their creation time and the "
             "state the domain was in."},
    {.name = "snapshot-revert",
     .handler = cmdSnapshotRevert,
     .opts = optsSnapshotRevert,
     .help = "bring a domain back to a snapshot",
     .desc = "Put the domain's disks, definition and state (memory "
             "included) back to the snapshot's."},
    {.name = NULL},
};
