/*
 * vmmd_config.c: loading and checking vmmd.conf.
 *
 * One table below describes every key: its name, where it goes in
 * vmmdConfig and what values it takes. Loading walks the file in order and
 * applies each key through the table, so the first mistake in the file is
 * the one reported, and a key missing from the table is an unknown key.
 * Checks that involve two keys (min_workers against max_workers...) run
 * once the whole file is read.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "util_conf.h"
#include "util_error.h"
#include "util_uuid.h"
#include "vmmd_config.h"

typedef enum {
    KEY_BOOL,
    KEY_INT,     /* int, within [min, max] */
    KEY_UINT,    /* unsigned int, within [min, max] */
    KEY_STRING,  /* one of choices when given */
    KEY_PATH,    /* an absolute path */
    KEY_STRLIST, /* every item one of choices when given */
    KEY_AUTH,    /* "none" / "polkit" -> vmmdAuthType */
    KEY_PERMS,   /* octal file mode in a string -> unsigned int */
    KEY_PORT,    /* decimal TCP port in a string, kept as a string */
    KEY_UUID,    /* a UUID in a string, kept as a string */
    KEY_IGNORED, /* a boolean libvirt no longer uses; accepted, unused */
} keyKind;

typedef struct {
    const char *name;
    keyKind kind;
    gssize offset; /* into vmmdConfig; -1 for KEY_IGNORED */
    gint64 min;
    gint64 max;
    const char *const *choices;
} keyDef;

static const char *const uuidSources[] = {"smbios", "machine-id", NULL};
static const char *const accessDrivers[] = {"nop", "polkit", NULL};

#define FIELD(name) G_STRUCT_OFFSET(vmmdConfig, name)
/* clang-format off */
#define KEY(name, kind) { #name, kind, FIELD(name), 0, 0, NULL }
#define KEY_CHOICE(name, kind, choices) \
    { #name, kind, FIELD(name), 0, 0, choices }
#define KEY_RANGE(name, kind, min, max) \
    { #name, kind, FIELD(name), min, max, NULL }
/* clang-format on */
#define KEY_U(name) KEY_RANGE(name, KEY_UINT, 0, G_MAXUINT)
#define KEY_U_NONZERO(name) KEY_RANGE(name, KEY_UINT, 1, G_MAXUINT)

/* In the order of the default vmmd.conf. */
static const keyDef keyDefs[] = {
    KEY(listen_tls, KEY_BOOL),
    KEY(listen_tcp, KEY_BOOL),
    KEY(tls_port, KEY_PORT),
    KEY(tcp_port, KEY_PORT),
    KEY(listen_addr, KEY_STRING),
    KEY(unix_sock_group, KEY_STRING),
    KEY(unix_sock_ro_perms, KEY_PERMS),
    KEY(unix_sock_rw_perms, KEY_PERMS),
    KEY(unix_sock_admin_perms, KEY_PERMS),
    KEY(unix_sock_dir, KEY_PATH),
    KEY(auth_unix_ro, KEY_AUTH),
    KEY(auth_unix_rw, KEY_AUTH),
    KEY(auth_tcp, KEY_AUTH),
    KEY(auth_tls, KEY_AUTH),
    /* libvirt refuses a minimum under 112 bits. */
    KEY_RANGE(tcp_min_ssf, KEY_UINT, 112, G_MAXUINT),
    KEY_CHOICE(access_drivers, KEY_STRLIST, accessDrivers),
    KEY(key_file, KEY_PATH),
    KEY(cert_file, KEY_PATH),
    KEY(ca_file, KEY_PATH),
    KEY(crl_file, KEY_PATH),
    KEY(tls_no_sanity_certificate, KEY_BOOL),
    KEY(tls_no_verify_certificate, KEY_BOOL),
    KEY(tls_allowed_dn_list, KEY_STRLIST),
    KEY(tls_priority, KEY_STRING),
    KEY(sasl_allowed_username_list, KEY_STRLIST),
    KEY_U_NONZERO(max_clients),
    KEY_U(max_queued_clients),
    KEY_U(max_anonymous_clients),
    KEY_U(min_workers),
    KEY_U_NONZERO(max_workers),
    KEY_U(prio_workers),
    KEY_U_NONZERO(max_client_requests),
    KEY_U(admin_min_workers),
    KEY_U_NONZERO(admin_max_workers),
    KEY_U_NONZERO(admin_max_clients),
    KEY_U(admin_max_queued_clients),
    KEY_U_NONZERO(admin_max_client_requests),
    KEY_RANGE(log_level, KEY_UINT, 1, 4),
    KEY(log_filters, KEY_STRING),
    KEY(log_outputs, KEY_STRING),
    KEY_RANGE(audit_level, KEY_UINT, 0, 2),
    KEY(audit_logging, KEY_BOOL),
    KEY(host_uuid, KEY_UUID),
    KEY_CHOICE(host_uuid_source, KEY_STRING, uuidSources),
    KEY_RANGE(keepalive_interval, KEY_INT, -1, G_MAXINT),
    KEY_U(keepalive_count),
    {"keepalive_required", KEY_IGNORED, -1, 0, 0, NULL},
    KEY_RANGE(admin_keepalive_interval, KEY_INT, -1, G_MAXINT),
    KEY_U(admin_keepalive_count),
    {"admin_keepalive_required", KEY_IGNORED, -1, 0, 0, NULL},
    KEY_U(ovs_timeout),
};

static const char *const authNames[VMMD_AUTH_LAST] = {
    [VMMD_AUTH_NONE] = "none",
    [VMMD_AUTH_SASL] = "sasl",
    [VMMD_AUTH_POLKIT] = "polkit",
};

const char *vmmdAuthTypeToString(vmmdAuthType auth)
{
    if ((int)auth < 0 || auth >= VMMD_AUTH_LAST)
        return NULL;
    return authNames[auth];
}

const char *const *vmmdConfigKeys(void)
{
    static const char *names[G_N_ELEMENTS(keyDefs) + 1];
    static gsize done;

    if (g_once_init_enter(&done)) {
        for (size_t i = 0; i < G_N_ELEMENTS(keyDefs); i++)
            names[i] = keyDefs[i].name;
        g_once_init_leave(&done, 1);
    }
    return names;
}

vmmdConfig *vmmdConfigNew(unsigned int flags)
{
    vmmdConfig *cfg = g_new0(vmmdConfig, 1);
    bool privileged = flags & VMMD_CONFIG_PRIVILEGED;

    /* Like libvirtd: TLS is on, but only honoured with `vmmd --listen`. */
    cfg->listen_tls = true;
    cfg->listen_tcp = false;
    cfg->tls_port = g_strdup(VMMD_TLS_PORT);
    cfg->tcp_port = g_strdup(VMMD_TCP_PORT);

    cfg->unix_sock_ro_perms = 0777;
    cfg->unix_sock_admin_perms = 0700;
    cfg->auth_unix_ro = privileged ? VMMD_AUTH_POLKIT : VMMD_AUTH_NONE;
    cfg->auth_unix_rw = privileged ? VMMD_AUTH_POLKIT : VMMD_AUTH_NONE;
    cfg->unix_sock_rw_perms =
        cfg->auth_unix_rw == VMMD_AUTH_POLKIT ? 0777 : 0700;
    cfg->auth_tcp = VMMD_AUTH_NONE;
    cfg->auth_tls = VMMD_AUTH_NONE;
    cfg->tcp_min_ssf = 56;
    cfg->tls_priority = g_strdup("NORMAL");

    cfg->max_clients = 5000;
    cfg->max_queued_clients = 1000;
    cfg->max_anonymous_clients = 20;
    cfg->min_workers = 5;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->max_client_requests = 5;

    cfg->admin_min_workers = 5;
    cfg->admin_max_workers = 20;
    cfg->admin_max_clients = 5000;
    cfg->admin_max_queued_clients = 20;
    cfg->admin_max_client_requests = 5;

    cfg->audit_level = 1;
    cfg->host_uuid_source = g_strdup("smbios");
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->admin_keepalive_interval = 5;
    cfg->admin_keepalive_count = 5;
    cfg->ovs_timeout = 5;
    return cfg;
}

void vmmdConfigFree(vmmdConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->tls_port);
    g_free(cfg->tcp_port);
    g_free(cfg->listen_addr);
    g_free(cfg->unix_sock_group);
    g_free(cfg->unix_sock_dir);
    g_strfreev(cfg->access_drivers);
    g_free(cfg->key_file);
    g_free(cfg->cert_file);
    g_free(cfg->ca_file);
    g_free(cfg->crl_file);
    g_strfreev(cfg->tls_allowed_dn_list);
    g_free(cfg->tls_priority);
    g_strfreev(cfg->sasl_allowed_username_list);
    g_free(cfg->log_filters);
    g_free(cfg->log_outputs);
    g_free(cfg->host_uuid);
    g_free(cfg->host_uuid_source);
    g_free(cfg);
}

/* ---- one key ------------------------------------------------------- */

static const keyDef *configKeyFind(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(keyDefs); i++) {
        if (g_str_equal(keyDefs[i].name, name))
            return &keyDefs[i];
    }
    return NULL;
}

/* @value among @choices, or an error listing them. */
static int configKeyCheckChoice(const confFile *conf, const keyDef *def,
                                const char *value)
{
    g_autofree char *all = NULL;

    if (!def->choices || g_strv_contains(def->choices, value))
        return 0;
    all = g_strjoinv("\", \"", (char **)def->choices);
    confReportValueError(conf, def->name, "must be one of \"%s\", not \"%s\"",
                         all, value);
    return -1;
}

static int configKeyApplyNumber(const confFile *conf, const keyDef *def,
                                void *field)
{
    gint64 num;

    if (confGetInt64(conf, def->name, &num) < 0)
        return -1;
    if (num < def->min || num > def->max) {
        bool openEnded = def->max == G_MAXUINT || def->max == G_MAXINT;

        if (num < def->min && def->min == 0)
            confReportValueError(conf, def->name, "must not be negative");
        else if (openEnded && num < def->min)
            confReportValueError(conf, def->name,
                                 "must be at least %" G_GINT64_FORMAT,
                                 def->min);
        else if (openEnded)
            confReportValueError(conf, def->name,
                                 "must be at most %" G_GINT64_FORMAT, def->max);
        else
            confReportValueError(conf, def->name,
                                 "must be between %" G_GINT64_FORMAT
                                 " and %" G_GINT64_FORMAT,
                                 def->min, def->max);
        return -1;
    }
    if (def->kind == KEY_INT)
        *(int *)field = (int)num;
    else
        *(unsigned int *)field = (unsigned int)num;
    return 0;
}

static int configKeyApplyString(const confFile *conf, const keyDef *def,
                                char **field)
{
    g_autofree char *value = NULL;

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    if (configKeyCheckChoice(conf, def, value) < 0)
        return -1;
    g_free(*field);
    *field = g_steal_pointer(&value);
    return 0;
}

/* The daemon changes to "/" at start, so a relative path would silently
 * mean something else than where the administrator was standing. */
static int configKeyApplyPath(const confFile *conf, const keyDef *def,
                              char **field)
{
    g_autofree char *value = NULL;

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    if (!g_path_is_absolute(value)) {
        confReportValueError(conf, def->name,
                             "must be an absolute path, not \"%s\"", value);
        return -1;
    }
    g_free(*field);
    *field = g_steal_pointer(&value);
    return 0;
}

static int configKeyApplyStringList(const confFile *conf, const keyDef *def,
                                    char ***field)
{
    g_auto(GStrv) list = NULL;

    if (confGetStringList(conf, def->name, false, &list) < 0)
        return -1;
    for (size_t i = 0; list[i]; i++) {
        if (configKeyCheckChoice(conf, def, list[i]) < 0)
            return -1;
    }
    g_strfreev(*field);
    *field = g_steal_pointer(&list);
    return 0;
}

static int configKeyApplyAuth(const confFile *conf, const keyDef *def,
                              vmmdAuthType *field)
{
    g_autofree char *value = NULL;

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    if (g_str_equal(value, "none")) {
        *field = VMMD_AUTH_NONE;
    } else if (g_str_equal(value, "polkit")) {
        *field = VMMD_AUTH_POLKIT;
    } else if (g_str_equal(value, "sasl")) {
        confReportValueError(conf, def->name,
                             "asks for SASL, which vmmd does not support "
                             "(use \"none\" or \"polkit\")");
        return -1;
    } else {
        confReportValueError(conf, def->name,
                             "must be \"none\" or \"polkit\", not \"%s\"",
                             value);
        return -1;
    }
    return 0;
}

/* "0770", "770": one to four octal digits after any leading zeros. */
static int configKeyApplyPerms(const confFile *conf, const keyDef *def,
                               unsigned int *field)
{
    g_autofree char *value = NULL;
    const char *digits;
    guint64 mode;

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    digits = value;
    while (digits[0] == '0' && digits[1] != '\0')
        digits++;
    if (strlen(digits) > 4 || strspn(digits, "01234567") != strlen(digits) ||
        !*digits) {
        confReportValueError(conf, def->name,
                             "must be an octal file mode such as \"0770\", "
                             "not \"%s\"",
                             value);
        return -1;
    }
    mode = g_ascii_strtoull(digits, NULL, 8);
    *field = (unsigned int)mode;
    return 0;
}

/* A service name would do for libvirtd; vmmd wants a number so that a
 * typo is caught at start, not when the socket is bound. */
static int configKeyApplyPort(const confFile *conf, const keyDef *def,
                              char **field)
{
    g_autofree char *value = NULL;
    guint64 port = 0;

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    if (!g_ascii_string_to_unsigned(value, 10, 1, 65535, &port, NULL)) {
        confReportValueError(conf, def->name,
                             "must be a port number from 1 to 65535, not "
                             "\"%s\"",
                             value);
        return -1;
    }
    g_free(*field);
    *field = g_strdup_printf("%u", (unsigned int)port);
    return 0;
}

/* libvirt also refuses a UUID made of one repeated digit: such values are
 * what broken firmware reports, and would make hosts indistinguishable. */
static bool configUuidIsOneDigit(const char *str)
{
    char first = 0;

    for (const char *c = str; *c; c++) {
        if (*c == '-')
            continue;
        if (!first)
            first = g_ascii_tolower(*c);
        else if (g_ascii_tolower(*c) != first)
            return false;
    }
    return true;
}

static int configKeyApplyUuid(const confFile *conf, const keyDef *def,
                              char **field)
{
    g_autofree char *value = NULL;
    unsigned char raw[VMM_UUID_BUFLEN];

    if (confGetString(conf, def->name, &value) < 0)
        return -1;
    if (uuidParse(value, raw) < 0) {
        confReportValueError(conf, def->name, "must be a UUID, not \"%s\"",
                             value);
        return -1;
    }
    if (configUuidIsOneDigit(value)) {
        confReportValueError(conf, def->name,
                             "must not have all digits the same (\"%s\")",
                             value);
        return -1;
    }
    g_free(*field);
    *field = g_steal_pointer(&value);
    return 0;
}

static int configKeyApply(const confFile *conf, const keyDef *def,
                          vmmdConfig *cfg)
{
    void *field = def->offset >= 0 ? G_STRUCT_MEMBER_P(cfg, def->offset) : NULL;
    bool ignored;

    switch (def->kind) {
    case KEY_BOOL:
        return confGetBool(conf, def->name, field) < 0 ? -1 : 0;
    case KEY_INT:
    case KEY_UINT:
        return configKeyApplyNumber(conf, def, field);
    case KEY_STRING:
        return configKeyApplyString(conf, def, field);
    case KEY_PATH:
        return configKeyApplyPath(conf, def, field);
    case KEY_STRLIST:
        return configKeyApplyStringList(conf, def, field);
    case KEY_AUTH:
        return configKeyApplyAuth(conf, def, field);
    case KEY_PERMS:
        return configKeyApplyPerms(conf, def, field);
    case KEY_PORT:
        return configKeyApplyPort(conf, def, field);
    case KEY_UUID:
        return configKeyApplyUuid(conf, def, field);
    case KEY_IGNORED:
        return confGetBool(conf, def->name, &ignored) < 0 ? -1 : 0;
    }
    errorReportInternal(VMM_FROM_CONF, "key '%s' has unknown kind %d",
                        def->name, def->kind);
    return -1;
}

static int configApplyEntry(const confFile *conf, const char *key,
                            confType type, unsigned int line, void *opaque)
{
    const keyDef *def = configKeyFind(key);

    if (!def) {
        confReportValueError(conf, key, "is not a known setting");
        return -1;
    }
    return configKeyApply(conf, def, opaque);
}

/* ---- the whole file ------------------------------------------------ */

/* @lowKey must not be above @highKey; the error is reported at whichever
 * of the two the file sets, preferring @highKey. */
static int configCheckOrder(const confFile *conf, const char *lowKey,
                            unsigned int low, const char *highKey,
                            unsigned int high)
{
    if (low <= high)
        return 0;
    if (confGetLine(conf, highKey))
        confReportValueError(conf, highKey,
                             "(%u) must not be less than %s (%u)", high, lowKey,
                             low);
    else
        confReportValueError(conf, lowKey, "(%u) must not be more than %s (%u)",
                             low, highKey, high);
    return -1;
}

static int configCheckConsistency(const confFile *conf, const vmmdConfig *cfg)
{
    if (configCheckOrder(conf, "min_workers", cfg->min_workers, "max_workers",
                         cfg->max_workers) < 0)
        return -1;
    if (configCheckOrder(conf, "admin_min_workers", cfg->admin_min_workers,
                         "admin_max_workers", cfg->admin_max_workers) < 0)
        return -1;
    if (configCheckOrder(conf, "max_anonymous_clients",
                         cfg->max_anonymous_clients, "max_clients",
                         cfg->max_clients) < 0)
        return -1;
    return 0;
}

static int configApply(vmmdConfig *cfg, const confFile *conf)
{
    if (confForEach(conf, configApplyEntry, cfg) < 0)
        return -1;
    /* As in libvirtd, polkit on the read-write socket opens the socket to
     * everyone (polkit decides), unless the file says otherwise. */
    if (!confGetLine(conf, "unix_sock_rw_perms"))
        cfg->unix_sock_rw_perms =
            cfg->auth_unix_rw == VMMD_AUTH_POLKIT ? 0777 : 0700;
    return configCheckConsistency(conf, cfg);
}

static int configLoad(const confFile *conf, unsigned int flags,
                      vmmdConfig **ret_config)
{
    g_autoptr(vmmdConfig) cfg = vmmdConfigNew(flags);

    if (configApply(cfg, conf) < 0)
        return -1;
    *ret_config = g_steal_pointer(&cfg);
    return 0;
}

int vmmdConfigLoadData(const char *name, const char *data, size_t len,
                       unsigned int flags, vmmdConfig **ret_config)
{
    g_autoptr(confFile) conf = confParseString(name, data, len);

    if (!conf)
        return -1;
    return configLoad(conf, flags, ret_config);
}

int vmmdConfigLoadFile(const char *path, unsigned int flags,
                       vmmdConfig **ret_config)
{
    g_autoptr(confFile) conf = NULL;

    if (!path) {
        errorReportInvalidArg(VMM_FROM_CONF, "path");
        return -1;
    }
    if ((flags & VMMD_CONFIG_ALLOW_MISSING) && access(path, F_OK) < 0 &&
        errno == ENOENT) {
        *ret_config = vmmdConfigNew(flags);
        return 0;
    }
    if (!(conf = confParseFile(path)))
        return -1;
    return configLoad(conf, flags, ret_config);
}
