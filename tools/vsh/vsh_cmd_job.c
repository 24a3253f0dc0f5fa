/*
 * vsh_cmd_job.c: the jobs of domains (see vsh_cmd_job.h): what vsh_job.c
 * needs from libvmm to draw its bar (the job's progress, its abort), and
 * the commands that show or cancel a job or read a save image. Output
 * follows virsh's domjobinfo: "Job type:         Bounded", times in ms,
 * sizes with a binary unit.
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "vsh_cmd_job.h"
#include "vsh_job.h"
#include "vsh_output.h"

/* ---- the progress bar of save, restore and managedsave ---- */

/* What the calling thread knows while the worker runs the call. */
typedef struct {
    vshControl *ctl;
    GThread *caller;     /* the thread that polls */
    vmmDomainPtr dom;    /* a reference of ours; NULL until it exists */
    const char *domName; /* looked up while @dom is NULL */
} vshDomainJobWatch;

static gboolean vshDomainJobProbe(void *opaque, guint64 *ret_remaining,
                                  guint64 *ret_total)
{
    vshDomainJobWatch *watch = opaque;
    vmmDomainJobInfo info = {0};

    if (!watch->dom && watch->domName)
        watch->dom = vmmDomainLookupByName(watch->ctl->conn, watch->domName);
    /* no domain or no job yet is what polling expects to see at first */
    if (!watch->dom || vmmDomainGetJobInfo(watch->dom, &info) < 0) {
        vmmResetLastError();
        return FALSE;
    }
    return vshJobInfoProgress(&info, ret_remaining, ret_total);
}

static void vshDomainJobAbort(void *opaque)
{
    vshDomainJobWatch *watch = opaque;

    /* a job already over cannot be aborted: the call's own result says
     * what happened */
    if (!watch->dom || vmmDomainAbortJob(watch->dom) < 0)
        vmmResetLastError();
}

/* The error handler while a job runs: only the worker's errors belong
 * to the command; the polls' failures are expected and dropped. */
static void vshDomainJobSaveError(void *opaque, vmmErrorPtr err)
{
    vshDomainJobWatch *watch = opaque;

    if (g_thread_self() == watch->caller)
        return;
    vshSaveLibError(watch->ctl, err);
}

gboolean vshDomainJobWantBar(vshControl *ctl, const vshCmd *cmd)
{
    if (vshWantJson(ctl))
        return FALSE;
    if (vshCmdOptBool(cmd, "verbose"))
        return TRUE;
    return !ctl->quiet && isatty(STDERR_FILENO);
}

int vshDomainJobRun(vshControl *ctl, const vshCmd *cmd, const char *label,
                    vmmDomainPtr dom, const char *domName,
                    vshDomainJobCall call, void *opaque)
{
    vshDomainJobWatch watch = {
        .ctl = ctl, .caller = g_thread_self(), .domName = domName};
    vshJob job = {
        .label = label,
        .out = stderr,
        .run = call,
        .runData = opaque,
        .probe = vshDomainJobProbe,
        .abort = vshDomainJobAbort,
        .opaque = &watch,
    };
    int ret;

    if (!vshDomainJobWantBar(ctl, cmd))
        return call(opaque);
    if (dom && vmmDomainRef(dom) == 0)
        watch.dom = dom;
    vmmSetErrorFunc(&watch, vshDomainJobSaveError);
    ret = vshJobRun(&job);
    vmmSetErrorFunc(ctl, vshSaveLibError);
    if (watch.dom)
        vmmDomainFree(watch.dom);
    return ret;
}

/* ---- the domain name in a save image ---- */

/* Finds the text of <name>, a child of the root element. */
typedef struct {
    int depth;
    gboolean inName;
    gboolean found;
    GString *name;
} vshNameParser;

static void vshNameStart(GMarkupParseContext *context, const char *element,
                         const char **attrNames, const char **attrValues,
                         gpointer data, GError **error)
{
    vshNameParser *p = data;

    p->depth++;
    if (p->depth == 2 && !p->found && strcmp(element, "name") == 0)
        p->inName = TRUE;
}

static void vshNameEnd(GMarkupParseContext *context, const char *element,
                       gpointer data, GError **error)
{
    vshNameParser *p = data;

    if (p->inName) {
        p->inName = FALSE;
        p->found = TRUE;
    }
    p->depth--;
}

static void vshNameText(GMarkupParseContext *context, const char *text,
                        gsize len, gpointer data, GError **error)
{
    vshNameParser *p = data;

    if (p->inName)
        g_string_append_len(p->name, text, len);
}

/* The domain name in a domain definition, or NULL. */
static char *vshDomainXMLName(const char *xml)
{
    static const GMarkupParser parser = {
        .start_element = vshNameStart,
        .end_element = vshNameEnd,
        .text = vshNameText,
    };
    g_autoptr(GString) name = g_string_new(NULL);
    vshNameParser p = {.name = name};
    g_autoptr(GMarkupParseContext) context =
        g_markup_parse_context_new(&parser, 0, &p, NULL);

    if (!g_markup_parse_context_parse(context, xml, -1, NULL) ||
        !g_markup_parse_context_end_parse(context, NULL) || !p.found)
        return NULL;
    g_strstrip(name->str);
    return name->str[0] ? g_strdup(name->str) : NULL;
}

char *vshSaveImageDomainName(vshControl *ctl, const char *file)
{
    g_autofree char *xml = vmmDomainSaveImageGetXMLDesc(ctl->conn, file, 0);

    if (!xml) {
        /* the restore itself will say what is wrong with the file */
        vshResetLibError(ctl);
        return NULL;
    }
    return vshDomainXMLName(xml);
}

/* ---- domjobinfo ---- */

/* The statistics of the last finished job as a job info. */
static void vshJobStatsToInfo(int type, const vmmTypedParameter *params,
                              int nparams, vmmDomainJobInfo *ret_info)
{
    static const struct {
        const char *field;
        gsize offset;
    } map[] = {
        {VMM_DOMAIN_JOB_TIME_ELAPSED,
         G_STRUCT_OFFSET(vmmDomainJobInfo, timeElapsed)},
        {VMM_DOMAIN_JOB_TIME_REMAINING,
         G_STRUCT_OFFSET(vmmDomainJobInfo, timeRemaining)},
        {VMM_DOMAIN_JOB_DATA_TOTAL,
         G_STRUCT_OFFSET(vmmDomainJobInfo, dataTotal)},
        {VMM_DOMAIN_JOB_DATA_PROCESSED,
         G_STRUCT_OFFSET(vmmDomainJobInfo, dataProcessed)},
        {VMM_DOMAIN_JOB_DATA_REMAINING,
         G_STRUCT_OFFSET(vmmDomainJobInfo, dataRemaining)},
        {VMM_DOMAIN_JOB_MEMORY_TOTAL,
         G_STRUCT_OFFSET(vmmDomainJobInfo, memTotal)},
        {VMM_DOMAIN_JOB_MEMORY_PROCESSED,
         G_STRUCT_OFFSET(vmmDomainJobInfo, memProcessed)},
        {VMM_DOMAIN_JOB_MEMORY_REMAINING,
         G_STRUCT_OFFSET(vmmDomainJobInfo, memRemaining)},
        {VMM_DOMAIN_JOB_DISK_TOTAL,
         G_STRUCT_OFFSET(vmmDomainJobInfo, fileTotal)},
        {VMM_DOMAIN_JOB_DISK_PROCESSED,
         G_STRUCT_OFFSET(vmmDomainJobInfo, fileProcessed)},
        {VMM_DOMAIN_JOB_DISK_REMAINING,
         G_STRUCT_OFFSET(vmmDomainJobInfo, fileRemaining)},
    };
    vmmDomainJobInfo info = {.type = type};
    gsize i;
    int n;

    for (n = 0; n < nparams; n++) {
        if (params[n].type != VMM_TYPED_PARAM_ULLONG)
            continue;
        for (i = 0; i < G_N_ELEMENTS(map); i++) {
            if (strcmp(params[n].field, map[i].field) == 0)
                G_STRUCT_MEMBER(unsigned long long, &info, map[i].offset) =
                    params[n].value.ul;
        }
    }
    *ret_info = info;
}

static gboolean vshJobInfoGet(vmmDomainPtr dom, gboolean completed,
                              vmmDomainJobInfo *ret_info)
{
    vmmTypedParameterPtr params = NULL;
    int nparams = 0;
    int type = VMM_DOMAIN_JOB_NONE;

    if (!completed)
        return vmmDomainGetJobInfo(dom, ret_info) == 0;
    if (vmmDomainGetJobStats(dom, &type, &params, &nparams,
                             VMM_DOMAIN_JOB_STATS_COMPLETED) < 0)
        return FALSE;
    vshJobStatsToInfo(type, params, nparams, ret_info);
    vmmTypedParamsFree(params, nparams);
    return TRUE;
}

/* "Data processed:   1.500 MiB" and its remaining and total lines. */
static void vshJobPrintSizes(vshControl *ctl, const char *what,
                             guint64 processed, guint64 remaining,
                             guint64 total)
{
    const guint64 values[] = {processed, remaining, total};
    const char *const keys[] = {"processed:", "remaining:", "total:"};
    gsize i;

    if (!processed && !remaining && !total)
        return;
    for (i = 0; i < G_N_ELEMENTS(values); i++) {
        g_autofree char *key = g_strdup_printf("%s %s", what, keys[i]);
        const char *unit;
        double value = vshJobScaleBytes(values[i], &unit);

        vshPrint(ctl, "%-17s %-.3lf %s\n", key, value, unit);
    }
}

static void vshJobInfoPrint(vshControl *ctl, const vmmDomainJobInfo *info)
{
    vshPrint(ctl, "%-17s %-12s\n",
             "Job type:", vshJobTypeName(info->type, FALSE));
    if (info->type == VMM_DOMAIN_JOB_NONE)
        return;
    vshPrint(ctl, "%-17s %-12llu ms\n", "Time elapsed:", info->timeElapsed);
    if (info->type == VMM_DOMAIN_JOB_BOUNDED)
        vshPrint(ctl, "%-17s %-12llu ms\n",
                 "Time remaining:", info->timeRemaining);
    vshJobPrintSizes(ctl, "Data", info->dataProcessed, info->dataRemaining,
                     info->dataTotal);
    vshJobPrintSizes(ctl, "Memory", info->memProcessed, info->memRemaining,
                     info->memTotal);
    vshJobPrintSizes(ctl, "File", info->fileProcessed, info->fileRemaining,
                     info->fileTotal);
}

static vshJson *vshJobInfoJson(const vmmDomainJobInfo *info)
{
    vshJson *obj = vshJsonNewObject();

    vshJsonObjectAddString(obj, "type", vshJobTypeName(info->type, TRUE));
    vshJsonObjectAddUInt(obj, "time_elapsed_ms", info->timeElapsed);
    vshJsonObjectAddUInt(obj, "time_remaining_ms", info->timeRemaining);
    vshJsonObjectAddUInt(obj, "data_total_bytes", info->dataTotal);
    vshJsonObjectAddUInt(obj, "data_processed_bytes", info->dataProcessed);
    vshJsonObjectAddUInt(obj, "data_remaining_bytes", info->dataRemaining);
    vshJsonObjectAddUInt(obj, "memory_total_bytes", info->memTotal);
    vshJsonObjectAddUInt(obj, "memory_processed_bytes", info->memProcessed);
    vshJsonObjectAddUInt(obj, "memory_remaining_bytes", info->memRemaining);
    vshJsonObjectAddUInt(obj, "file_total_bytes", info->fileTotal);
    vshJsonObjectAddUInt(obj, "file_processed_bytes", info->fileProcessed);
    vshJsonObjectAddUInt(obj, "file_remaining_bytes", info->fileRemaining);
    return obj;
}

static gboolean cmdDomjobinfo(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    vmmDomainJobInfo info = {0};

    if (!dom)
        return FALSE;
    if (!vshJobInfoGet(dom, vshCmdOptBool(cmd, "completed"), &info))
        return FALSE;
    if (vshWantJson(ctl))
        ctl->result = vshJobInfoJson(&info);
    else
        vshJobInfoPrint(ctl, &info);
    return TRUE;
}

/* ---- domjobabort, save-image-dumpxml ---- */

static gboolean cmdDomjobabort(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);

    if (!dom)
        return FALSE;
    return vmmDomainAbortJob(dom) == 0;
}

static gboolean cmdSaveImageDumpxml(vshControl *ctl, const vshCmd *cmd)
{
    const char *file = vshCmdOptString(cmd, "file");
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vshCmdOptBool(cmd, "security-info"))
        flags |= VMM_DOMAIN_SAVE_IMAGE_XML_SECURE;
    if (!(xml = vmmDomainSaveImageGetXMLDesc(ctl->conn, file, flags)))
        return FALSE;
    vshPrint(ctl, "%s%s", xml, g_str_has_suffix(xml, "\n") ? "" : "\n");
    return TRUE;
}

/* ---- table ---- */

static const vshOptDef optsDomjobinfo[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("completed",
                 "the last job that finished, not the running one"),
    VSH_OPT_JSON,
    VSH_OPT_END,
};

static const vshOptDef optsDomjobabort[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_END,
};

static const vshOptDef optsSaveImageDumpxml[] = {
    {.name = "file",
     .type = VSH_OT_STRING,
     .flags = VSH_OPT_REQUIRED,
     .help = "the save image",
     .complete = VSH_COMPLETE_FILE},
    VSH_OPT_FLAG("security-info",
                 "keep secrets such as passwords in the output"),
    VSH_OPT_END,
};

const vshCmdDef vshJobCmds[] = {
    {.name = "domjobabort",
     .handler = cmdDomjobabort,
     .opts = optsDomjobabort,
     .help = "cancel the job a domain runs",
     .desc = "Cancel the long operation (save, restore...) a domain runs; the "
             "command that started it fails."},
    {.name = "domjobinfo",
     .handler = cmdDomjobinfo,
     .opts = optsDomjobinfo,
     .help = "print the progress of the job a domain runs",
     .desc =
         "Print how far the long operation a domain runs (save, restore...) "
         "has come, or with --completed how the last one ended."},
    {.name = "save-image-dumpxml",
     .handler = cmdSaveImageDumpxml,
     .opts = optsSaveImageDumpxml,
     .help = "print the domain definition in a save image",
     .desc = "Print the XML description of the domain whose state a save image "
             "holds."},
    {.name = NULL},
};
