/*
 * domain_store.c: definitions and status files of guests on disk (see
 * domain_store.h for the layout). Only file handling and the <domstatus>
 * wrapper live here; the <domain> inside is domain_conf's business.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "domain_store.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"
#include "util_xml.h"

VMM_LOG_INIT("conf.domain_store");

#define STORE_ERR VMM_FROM_CONF
#define STORE_AUTOSTART_DIR "autostart"

static const char *const domainStateNames[VMM_DOMAIN_LAST] = {
    "nostate",  "running", "blocked", "paused",
    "shutdown", "shutoff", "crashed", "pmsuspended",
};

const char *domainStateToString(int state)
{
    if (state < 0 || state >= VMM_DOMAIN_LAST)
        return NULL;
    return domainStateNames[state];
}

int domainStateFromString(const char *str)
{
    for (int i = 0; str && i < VMM_DOMAIN_LAST; i++) {
        if (strcmp(domainStateNames[i], str) == 0)
            return i;
    }
    return -1;
}

char *domainStorePath(const char *dir, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return fileBuildPath(dir, file);
}

int domainStoreSaveDef(const char *configDir, const domainDef *def)
{
    g_autofree char *xml = domainDefFormat(def, -1, DOMAIN_DEF_FORMAT_SECURE);
    g_autofree char *path = domainStorePath(configDir, def->name);

    if (!xml || fileMakePath(configDir, 0700) < 0)
        return -1;
    /* Definitions may hold secrets (VNC passwords): owner only. */
    return fileWriteAtomic(path, xml, strlen(xml), 0600);
}

static char *domainStoreAutostartLink(const char *configDir, const char *name)
{
    g_autofree char *dir = fileBuildPath(configDir, STORE_AUTOSTART_DIR);

    return domainStorePath(dir, name);
}

int domainStoreDeleteDef(const char *configDir, const char *name)
{
    g_autofree char *path = domainStorePath(configDir, name);

    if (domainStoreSetAutostart(configDir, name, false) < 0)
        return -1;
    return fileRemoveIfExists(path);
}

int domainStoreSetAutostart(const char *configDir, const char *name,
                            bool autostart)
{
    g_autofree char *link = domainStoreAutostartLink(configDir, name);
    g_autofree char *target = NULL;
    g_autofree char *dir = NULL;

    if (!autostart)
        return fileRemoveIfExists(link);
    if (domainStoreGetAutostart(configDir, name))
        return 0;
    dir = fileBuildPath(configDir, STORE_AUTOSTART_DIR);
    target = domainStorePath(configDir, name);
    if (fileMakePath(dir, 0700) < 0 || fileRemoveIfExists(link) < 0)
        return -1;
    if (symlink(target, link) < 0) {
        errorReportSystem(STORE_ERR, errno, "cannot create autostart link '%s'",
                          link);
        return -1;
    }
    return 0;
}

bool domainStoreGetAutostart(const char *configDir, const char *name)
{
    g_autofree char *link = domainStoreAutostartLink(configDir, name);

    /* Like libvirt: the link's presence is the flag, even when dangling. */
    return g_file_test(link, G_FILE_TEST_IS_SYMLINK) ||
           g_file_test(link, G_FILE_TEST_EXISTS);
}

/* The definition in @path, whose name must be @name. */
static domainDef *domainStoreReadDef(const char *path, const char *name,
                                     domainStoreCheckFunc check, void *opaque)
{
    g_autofree char *xml = NULL;
    g_autoptr(domainDef) def = NULL;

    if (fileReadAll(path, DOMAIN_STORE_FILE_MAX, &xml, NULL) < 0 ||
        !(def = domainDefParseString(xml, 0)))
        return NULL;
    if (strcmp(def->name, name) != 0) {
        errorReport(STORE_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "domain name '%s' does not match the file name", def->name);
        return NULL;
    }
    if (check && check(def, opaque) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

/* Loads one file; -1 (error set) means "skip it". */
static int domainStoreLoadOne(const char *configDir, const char *file,
                              domainObjList *list, domainStoreCheckFunc check,
                              void *opaque)
{
    g_autofree char *name = g_strndup(file, strlen(file) - strlen(".xml"));
    g_autofree char *path = fileBuildPath(configDir, file);
    g_autoptr(domainDef) def = domainStoreReadDef(path, name, check, opaque);
    domainObj *obj;

    if (!def || !(obj = domainObjListAdd(list, &def,
                                         DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return -1;
    obj->persistent = true;
    obj->autostart = domainStoreGetAutostart(configDir, name);
    domainObjEndAPI(&obj);
    VMM_DEBUG("loaded '%s'", path);
    return 0;
}

/* Directory entries that are definitions: NAME.xml, not dot files (the
 * temporaries of fileWriteAtomic) and not a bare ".xml". */
static bool domainStoreIsDefFile(const char *file)
{
    return file[0] != '.' && g_str_has_suffix(file, ".xml") &&
           strlen(file) > strlen(".xml");
}

static gint domainStoreCompareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.xml names of @dir; a missing directory is empty. */
static int domainStoreListDir(const char *dir, GPtrArray **ret_files)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GDir) d = g_dir_open(dir, 0, &gerr);
    const char *file;

    if (!d) {
        if (!g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
            errorReport(STORE_ERR, VMM_ERR_SYSTEM_ERROR,
                        "cannot read directory '%s': %s", dir, gerr->message);
            return -1;
        }
    } else {
        while ((file = g_dir_read_name(d))) {
            if (domainStoreIsDefFile(file))
                g_ptr_array_add(files, g_strdup(file));
        }
    }
    g_ptr_array_sort(files, domainStoreCompareNames);
    *ret_files = g_steal_pointer(&files);
    return 0;
}

int domainStoreLoadAll(const char *configDir, domainObjList *list,
                       domainStoreCheckFunc check, void *opaque,
                       GPtrArray **ret_skipped)
{
    g_autoptr(GPtrArray) files = NULL;
    g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func(g_free);

    if (domainStoreListDir(configDir, &files) < 0)
        return -1;
    for (guint i = 0; i < files->len; i++) {
        const char *file = g_ptr_array_index(files, i);

        if (domainStoreLoadOne(configDir, file, list, check, opaque) < 0) {
            const vmmError *err = errorGetLast();

            g_ptr_array_add(skipped,
                            g_strdup_printf("%s/%s: %s", configDir, file,
                                            err && err->message
                                                ? err->message
                                                : "unknown error"));
            errorReset();
        }
    }
    *ret_skipped = g_steal_pointer(&skipped);
    return 0;
}

void domainStatusFree(domainStatus *status)
{
    if (!status)
        return;
    domainDefFree(status->def);
    g_free(status->monitorPath);
    g_free(status);
}

/* @text with every non-empty line indented by two spaces. */
static char *domainStoreIndent(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; lines[i]; i++) {
        if (*lines[i])
            g_string_append_printf(out, "  %s\n", lines[i]);
    }
    return g_string_free(out, FALSE);
}

int domainStoreSaveStatus(const char *runDir, const domainStatus *status)
{
    g_autofree char *xml =
        domainDefFormat(status->def, status->id, DOMAIN_DEF_FORMAT_SECURE);
    g_autofree char *path = domainStorePath(runDir, status->def->name);
    g_autofree char *body = NULL;
    g_autofree char *monitor = NULL;
    g_autofree char *text = NULL;
    const char *state = domainStateToString(status->state);

    if (!xml || fileMakePath(runDir, 0700) < 0)
        return -1;
    body = domainStoreIndent(xml);
    if (status->monitorPath) {
        g_autofree char *esc = vxmlEscape(status->monitorPath);

        monitor = g_strdup_printf("  <monitor path='%s' type='unix'/>\n", esc);
    }
    text =
        g_strdup_printf("<domstatus state='%s' reason='%d' pid='%lld'>\n"
                        "%s%s</domstatus>\n",
                        state ? state : "nostate", status->reason,
                        (long long)status->pid, monitor ? monitor : "", body);
    return fileWriteAtomic(path, text, strlen(text), 0600);
}

static int domainStoreParseStatusRoot(const char *path, xmlNode *root,
                                      domainStatus *status)
{
    g_autofree char *state = vxmlGetProp(root, "state");
    unsigned long long pid = 0;
    unsigned int reason = 0;
    xmlNode *mon;

    if (vxmlPropULongLong(root, "pid", &pid) < 0 ||
        vxmlPropUInt(root, "reason", &reason) < 0)
        return -1;
    /* kvm_process writes state='running' and no reason: that is fine. */
    status->state = state ? domainStateFromString(state) : VMM_DOMAIN_RUNNING;
    if (status->state < 0 || pid > G_MAXINT) {
        errorReport(STORE_ERR, VMM_ERR_XML_ERROR,
                    "status file '%s': bad state or pid", path);
        return -1;
    }
    status->pid = (pid_t)pid;
    status->reason = (int)reason;
    if ((mon = vxmlChild(root, "monitor")))
        status->monitorPath = vxmlGetProp(mon, "path");
    return 0;
}

static int domainStoreParseStatus(const char *path, const char *text,
                                  domainStatus **ret_status)
{
    g_autoptr(xmlDoc) doc = vxmlParseString(text, path, "domstatus");
    g_autoptr(domainStatus) status = g_new0(domainStatus, 1);
    g_autofree char *domxml = NULL;
    g_autofree char *id = NULL;
    xmlNode *root;
    xmlNode *dom;

    if (!doc)
        return -1;
    root = xmlDocGetRootElement(doc);
    if (domainStoreParseStatusRoot(path, root, status) < 0)
        return -1;
    if (!(dom = vxmlChild(root, "domain"))) {
        errorReport(STORE_ERR, VMM_ERR_XML_ERROR,
                    "status file '%s' has no <domain>", path);
        return -1;
    }
    id = vxmlGetProp(dom, "id");
    status->id = id ? atoi(id) : -1;
    if (!(domxml = vxmlNodeToString(dom)) ||
        !(status->def = domainDefParseString(domxml, 0)))
        return -1;
    *ret_status = g_steal_pointer(&status);
    return 0;
}

int domainStoreLoadStatus(const char *runDir, const char *name,
                          domainStatus **ret_status)
{
    g_autofree char *path = domainStorePath(runDir, name);
    g_autofree char *text = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        errorReport(STORE_ERR, VMM_ERR_NO_DOMAIN, "no status file for '%s'",
                    name);
        return -1;
    }
    if (fileReadAll(path, DOMAIN_STORE_FILE_MAX, &text, NULL) < 0)
        return -1;
    return domainStoreParseStatus(path, text, ret_status);
}

int domainStoreDeleteStatus(const char *runDir, const char *name)
{
    g_autofree char *path = domainStorePath(runDir, name);

    return fileRemoveIfExists(path);
}

int domainStoreListStatus(const char *runDir, GPtrArray **ret_names)
{
    g_autoptr(GPtrArray) files = NULL;

    if (domainStoreListDir(runDir, &files) < 0)
        return -1;
    for (guint i = 0; i < files->len; i++) {
        char *file = g_ptr_array_index(files, i);

        file[strlen(file) - strlen(".xml")] = '\0';
    }
    *ret_names = g_steal_pointer(&files);
    return 0;
}
