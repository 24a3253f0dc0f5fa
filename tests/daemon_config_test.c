/*
 * daemon_config_test.c: vmmd.conf loading (defaults, every key, every kind
 * of mistake) and the daemon's file layout with and without --root.
 *
 * tests/daemondata/ holds whole files: full.conf sets every key, and each
 * bad-NAME.conf comes with bad-NAME.err, the message it must fail with
 * (FILE standing for its path). VMM_TEST_REGENERATE=1 rewrites the .err
 * files from what the code says, for review in the diff.
 */
#include <config.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util_error.h"
#include "vmmd_config.h"
#include "vmmd_paths.h"

static char *dataPath(const char *name)
{
    const char *srcdir = g_getenv("VMM_TEST_SRCDIR");

    g_assert_nonnull(srcdir);
    return g_build_filename(srcdir, "daemondata", name, NULL);
}

static vmmdConfig *loadText(const char *text, unsigned int flags)
{
    vmmdConfig *cfg = NULL;

    errorReset();
    if (vmmdConfigLoadData("test.conf", text, strlen(text), flags, &cfg) < 0)
        g_assert_null(cfg);
    return cfg;
}

static void appendList(GString *out, const char *name, char **list)
{
    g_autofree char *joined = list ? g_strjoinv("|", list) : NULL;

    g_string_append_printf(out, "%s=%s\n", name, list ? joined : "(null)");
}

/* Every field as text, so that two configurations compare in one go and a
 * difference shows which field. */
static char *configDump(const vmmdConfig *c)
{
    GString *out = g_string_new(NULL);

#define S(f) g_string_append_printf(out, #f "=%s\n", c->f ? c->f : "(null)")
#define U(f) g_string_append_printf(out, #f "=%u\n", (unsigned int)c->f)
#define I(f) g_string_append_printf(out, #f "=%d\n", c->f)
#define O(f) g_string_append_printf(out, #f "=%04o\n", c->f)
    U(listen_tls);
    U(listen_tcp);
    S(tls_port);
    S(tcp_port);
    S(listen_addr);
    S(unix_sock_group);
    O(unix_sock_ro_perms);
    O(unix_sock_rw_perms);
    O(unix_sock_admin_perms);
    S(unix_sock_dir);
    U(auth_unix_ro);
    U(auth_unix_rw);
    U(auth_tcp);
    U(auth_tls);
    U(tcp_min_ssf);
    appendList(out, "access_drivers", c->access_drivers);
    S(key_file);
    S(cert_file);
    S(ca_file);
    S(crl_file);
    U(tls_no_sanity_certificate);
    U(tls_no_verify_certificate);
    appendList(out, "tls_allowed_dn_list", c->tls_allowed_dn_list);
    S(tls_priority);
    appendList(out, "sasl_allowed_username_list",
               c->sasl_allowed_username_list);
    U(max_clients);
    U(max_queued_clients);
    U(max_anonymous_clients);
    U(min_workers);
    U(max_workers);
    U(prio_workers);
    U(max_client_requests);
    U(admin_min_workers);
    U(admin_max_workers);
    U(admin_max_clients);
    U(admin_max_queued_clients);
    U(admin_max_client_requests);
    U(log_level);
    S(log_filters);
    S(log_outputs);
    U(audit_level);
    U(audit_logging);
    S(host_uuid);
    S(host_uuid_source);
    I(keepalive_interval);
    U(keepalive_count);
    I(admin_keepalive_interval);
    U(admin_keepalive_count);
    U(ovs_timeout);
#undef S
#undef U
#undef I
#undef O
    return g_string_free(out, FALSE);
}

static void testDefaults(void)
{
    g_autoptr(vmmdConfig) c = vmmdConfigNew(0);
    g_autoptr(vmmdConfig) root = vmmdConfigNew(VMMD_CONFIG_PRIVILEGED);

    g_assert_true(c->listen_tls);
    g_assert_false(c->listen_tcp);
    g_assert_cmpstr(c->tls_port, ==, "16514");
    g_assert_cmpstr(c->tcp_port, ==, "16509");
    g_assert_null(c->listen_addr);
    g_assert_cmpuint(c->unix_sock_ro_perms, ==, 0777);
    g_assert_cmpuint(c->unix_sock_rw_perms, ==, 0700);
    g_assert_cmpuint(c->unix_sock_admin_perms, ==, 0700);
    g_assert_null(c->unix_sock_dir);
    g_assert_cmpint(c->auth_unix_ro, ==, VMMD_AUTH_NONE);
    g_assert_cmpint(c->auth_unix_rw, ==, VMMD_AUTH_NONE);
    g_assert_cmpint(c->auth_tcp, ==, VMMD_AUTH_NONE);
    g_assert_cmpint(c->auth_tls, ==, VMMD_AUTH_NONE);
    g_assert_null(c->access_drivers);
    g_assert_cmpuint(c->max_clients, ==, 5000);
    g_assert_cmpuint(c->max_queued_clients, ==, 1000);
    g_assert_cmpuint(c->max_anonymous_clients, ==, 20);
    g_assert_cmpuint(c->min_workers, ==, 5);
    g_assert_cmpuint(c->max_workers, ==, 20);
    g_assert_cmpuint(c->prio_workers, ==, 5);
    g_assert_cmpuint(c->max_client_requests, ==, 5);
    g_assert_cmpuint(c->admin_max_queued_clients, ==, 20);
    g_assert_cmpuint(c->log_level, ==, 0);
    g_assert_cmpuint(c->audit_level, ==, 1);
    g_assert_cmpstr(c->host_uuid_source, ==, "smbios");
    g_assert_cmpint(c->keepalive_interval, ==, 5);
    g_assert_cmpuint(c->keepalive_count, ==, 5);
    g_assert_cmpuint(c->ovs_timeout, ==, 5);

    g_assert_cmpint(root->auth_unix_ro, ==, VMMD_AUTH_POLKIT);
    g_assert_cmpint(root->auth_unix_rw, ==, VMMD_AUTH_POLKIT);
    g_assert_cmpuint(root->unix_sock_rw_perms, ==, 0777);

    g_assert_cmpstr(vmmdAuthTypeToString(VMMD_AUTH_POLKIT), ==, "polkit");
    g_assert_null(vmmdAuthTypeToString(VMMD_AUTH_LAST));
}

static void testLoadFull(void)
{
    g_autofree char *path = dataPath("full.conf");
    g_autoptr(vmmdConfig) c = NULL;
    g_autofree char *dump = NULL;

    g_assert_cmpint(vmmdConfigLoadFile(path, 0, &c), ==, 0);
    dump = configDump(c);
    g_assert_cmpstr(dump, ==,
                    "listen_tls=0\nlisten_tcp=1\ntls_port=26514\n"
                    "tcp_port=26509\nlisten_addr=127.0.0.1\n"
                    "unix_sock_group=vmm\nunix_sock_ro_perms=0755\n"
                    "unix_sock_rw_perms=0770\nunix_sock_admin_perms=0000\n"
                    "unix_sock_dir=/tmp/vmm-test/sock\n"
                    "auth_unix_ro=2\nauth_unix_rw=2\nauth_tcp=0\n"
                    "auth_tls=0\ntcp_min_ssf=112\n"
                    "access_drivers=nop|polkit\n"
                    "key_file=/tmp/pki/key.pem\ncert_file=/tmp/pki/cert.pem\n"
                    "ca_file=/tmp/pki/ca.pem\ncrl_file=/tmp/pki/crl.pem\n"
                    "tls_no_sanity_certificate=1\n"
                    "tls_no_verify_certificate=1\n"
                    "tls_allowed_dn_list=C=GB,O=Example,CN=*|CN=admin\n"
                    "tls_priority=NORMAL:-VERS-TLS1.0\n"
                    "sasl_allowed_username_list=joe@EXAMPLE.COM\n"
                    "max_clients=100\nmax_queued_clients=10\n"
                    "max_anonymous_clients=7\nmin_workers=2\n"
                    "max_workers=8\nprio_workers=3\nmax_client_requests=4\n"
                    "admin_min_workers=1\nadmin_max_workers=3\n"
                    "admin_max_clients=9\nadmin_max_queued_clients=6\n"
                    "admin_max_client_requests=2\n"
                    "log_level=1\nlog_filters=1:rpc 3:util\n"
                    "log_outputs=1:file:/tmp/vmmd.log\n"
                    "audit_level=2\naudit_logging=1\n"
                    "host_uuid=3E3FCE45-4F53-4FA7-BB32-11F34168B82B\n"
                    "host_uuid_source=machine-id\n"
                    "keepalive_interval=-1\nkeepalive_count=0\n"
                    "admin_keepalive_interval=30\n"
                    "admin_keepalive_count=2\novs_timeout=60\n");
}

/* full.conf sets every key vmmd knows, so that testLoadFull covers them
 * all. */
static void testFullCoversAllKeys(void)
{
    g_autofree char *path = dataPath("full.conf");
    g_autofree char *text = NULL;
    const char *const *keys = vmmdConfigKeys();

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpuint(g_strv_length((char **)keys), >, 40);
    for (size_t i = 0; keys[i]; i++) {
        g_autofree char *line = g_strdup_printf("\n%s = ", keys[i]);

        if (!strstr(text, line))
            g_error("full.conf does not set %s", keys[i]);
    }
}

static void testLoadPrivate(void)
{
    g_autofree char *path = dataPath("private.conf");
    g_autoptr(vmmdConfig) c = NULL;

    g_assert_cmpint(vmmdConfigLoadFile(path, VMMD_CONFIG_PRIVILEGED, &c), ==,
                    0);
    g_assert_cmpstr(c->unix_sock_dir, ==, "/tmp/vmm-private");
    g_assert_cmpint(c->auth_unix_rw, ==, VMMD_AUTH_NONE);
    g_assert_cmpint(c->auth_unix_ro, ==, VMMD_AUTH_NONE);
    /* No polkit on the socket: back to root only. */
    g_assert_cmpuint(c->unix_sock_rw_perms, ==, 0700);
}

static void testRWPermsFollowAuth(void)
{
    g_autoptr(vmmdConfig) polkit = loadText("auth_unix_rw = \"polkit\"\n", 0);
    g_autoptr(vmmdConfig) given = loadText(
        "unix_sock_rw_perms = \"0770\"\nauth_unix_rw = \"polkit\"\n", 0);
    g_autoptr(vmmdConfig) rootDefault = loadText("", VMMD_CONFIG_PRIVILEGED);

    g_assert_cmpuint(polkit->unix_sock_rw_perms, ==, 0777);
    g_assert_cmpuint(given->unix_sock_rw_perms, ==, 0770);
    g_assert_cmpuint(rootDefault->unix_sock_rw_perms, ==, 0777);
}

static void testLoadMissing(void)
{
    g_autofree char *path = dataPath("no-such.conf");
    g_autoptr(vmmdConfig) c = NULL;
    g_autoptr(vmmdConfig) defaults = vmmdConfigNew(0);
    vmmdConfig *none = NULL;
    g_autofree char *got = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(vmmdConfigLoadFile(path, VMMD_CONFIG_ALLOW_MISSING, &c), ==,
                    0);
    got = configDump(c);
    want = configDump(defaults);
    g_assert_cmpstr(got, ==, want);

    errorReset();
    g_assert_cmpint(vmmdConfigLoadFile(path, 0, &none), ==, -1);
    g_assert_null(none);
    g_assert_true(errorIsSet());
    g_assert_nonnull(strstr(errorGetLast()->message, path));
}

/* Each bad-NAME.conf fails with the message in bad-NAME.err. */
static void testBadFiles(void)
{
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    bool regenerate = g_strcmp0(g_getenv("VMM_TEST_REGENERATE"), "1") == 0;
    const char *name;
    int seen = 0;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        g_autofree char *base = NULL;
        g_autofree char *errPath = NULL;
        g_autofree char *joined = NULL;
        g_autofree char *got = NULL;
        g_autofree char *want = NULL;
        g_auto(GStrv) parts = NULL;
        vmmdConfig *c = NULL;

        if (!g_str_has_prefix(name, "bad-") || !g_str_has_suffix(name, ".conf"))
            continue;
        seen++;
        path = dataPath(name);
        base = g_strndup(name, strlen(name) - strlen(".conf"));
        errPath = g_strdup_printf("%s/%s.err", dirPath, base);
        errorReset();
        g_assert_cmpint(vmmdConfigLoadFile(path, 0, &c), ==, -1);
        g_assert_null(c);
        g_assert_true(errorIsSet());
        parts = g_strsplit(errorGetLast()->message, path, -1);
        joined = g_strjoinv("FILE", parts);
        got = g_strconcat(joined, "\n", NULL);
        if (regenerate) {
            g_assert_true(g_file_set_contents(errPath, got, -1, NULL));
            continue;
        }
        g_assert_true(g_file_get_contents(errPath, &want, NULL, NULL));
        g_assert_cmpstr(got, ==, want);
    }
    g_assert_cmpint(seen, >=, 3);
}

static const struct {
    const char *text;
    int code;
    const char *message; /* after "unsupported configuration: test.conf:" */
} badValues[] = {
    {"\n\nfoo = 1\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "3: 'foo' is not a known setting"},
    {"listen_tls = \"yes\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'listen_tls' must be 0 or 1"},
    {"listen_tcp = 2\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'listen_tcp' must be 0 or 1"},
    {"tls_port = 16514\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'tls_port' must be a string, not a number"},
    {"tcp_port = \"http\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'tcp_port' must be a port number from 1 to 65535, not \"http\""},
    {"tcp_port = \"70000\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'tcp_port' must be a port number from 1 to 65535, not \"70000\""},
    {"unix_sock_ro_perms = \"0789\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'unix_sock_ro_perms' must be an octal file mode such as \"0770\", "
     "not \"0789\""},
    {"unix_sock_rw_perms = \"rwx\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'unix_sock_rw_perms' must be an octal file mode such as \"0770\", "
     "not \"rwx\""},
    {"unix_sock_admin_perms = \"017777\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'unix_sock_admin_perms' must be an octal file mode such as "
     "\"0770\", not \"017777\""},
    {"unix_sock_admin_perms = \"\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'unix_sock_admin_perms' must be an octal file mode such as "
     "\"0770\", not \"\""},
    {"unix_sock_dir = \"run/vmm\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'unix_sock_dir' must be an absolute path, not \"run/vmm\""},
    {"auth_unix_rw = \"sasl\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'auth_unix_rw' asks for SASL, which vmmd does not support (use "
     "\"none\" or \"polkit\")"},
    {"auth_tls = \"x509\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'auth_tls' must be \"none\" or \"polkit\", not \"x509\""},
    {"tcp_min_ssf = 56\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'tcp_min_ssf' must be at least 112"},
    {"access_drivers = [ \"selinux\" ]\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'access_drivers' must be one of \"nop\", \"polkit\", not "
     "\"selinux\""},
    {"access_drivers = \"polkit\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'access_drivers' must be a list of strings, not a string"},
    {"tls_allowed_dn_list = [ 1 ]\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'tls_allowed_dn_list' must be a list of strings, but item 1 is a "
     "number"},
    {"max_workers = 0\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'max_workers' must be at least 1"},
    {"max_workers = 3\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'max_workers' (3) must not be less than min_workers (5)"},
    {"min_workers = 30\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'min_workers' (30) must not be more than max_workers (20)"},
    {"admin_max_workers = 2\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'admin_max_workers' (2) must not be less than admin_min_workers "
     "(5)"},
    {"max_clients = 10\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'max_clients' (10) must not be less than max_anonymous_clients "
     "(20)"},
    {"min_workers = -1\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'min_workers' must not be negative"},
    {"max_clients = 4294967296\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'max_clients' must be at most 4294967295"},
    {"keepalive_count = -1\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'keepalive_count' must not be negative"},
    {"keepalive_interval = -2\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'keepalive_interval' must be at least -1"},
    {"log_level = 5\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'log_level' must be between 1 and 4"},
    {"audit_level = 3\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'audit_level' must be between 0 and 2"},
    {"host_uuid = \"not-a-uuid\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'host_uuid' must be a UUID, not \"not-a-uuid\""},
    {"host_uuid = \"00000000-0000-0000-0000-000000000000\"\n",
     VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'host_uuid' must not have all digits the same "
     "(\"00000000-0000-0000-0000-000000000000\")"},
    {"host_uuid_source = \"dmi\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'host_uuid_source' must be one of \"smbios\", \"machine-id\", not "
     "\"dmi\""},
    {"keepalive_required = 2\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'keepalive_required' must be 0 or 1"},
    {"ovs_timeout = \"5\"\n", VMM_ERR_CONFIG_UNSUPPORTED,
     "1: 'ovs_timeout' must be a number, not a string"},
    {"max_workers =\n", VMM_ERR_CONF_SYNTAX, "1: expected a value after '='"},
};

static void testBadValues(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(badValues); i++) {
        g_autoptr(vmmdConfig) c = loadText(badValues[i].text, 0);
        const vmmError *err = errorGetLast();
        g_autofree char *want = g_strdup_printf(
            "%s: test.conf:%s", errorCodePhrase(badValues[i].code),
            badValues[i].message);

        g_assert_null(c);
        g_assert_nonnull(err);
        g_assert_cmpint(err->domain, ==, VMM_FROM_CONF);
        g_assert_cmpint(err->code, ==, badValues[i].code);
        g_assert_cmpstr(err->message, ==, want);
    }
}

static void testGoodEdgeValues(void)
{
    g_autoptr(vmmdConfig) c =
        loadText("tls_port = \"1\"\ntcp_port = \"65535\"\n"
                 "unix_sock_ro_perms = \"00644\"\n"
                 "unix_sock_admin_perms = \"7777\"\n"
                 "min_workers = 20\nmax_workers = 20\n"
                 "max_anonymous_clients = 0\nkeepalive_interval = 0\n"
                 "access_drivers = []\n"
                 "host_uuid = \"3e3fce454f534fa7bb3211f34168b82b\"\n",
                 0);

    g_assert_nonnull(c);
    g_assert_cmpstr(c->tls_port, ==, "1");
    g_assert_cmpstr(c->tcp_port, ==, "65535");
    g_assert_cmpuint(c->unix_sock_ro_perms, ==, 0644);
    g_assert_cmpuint(c->unix_sock_admin_perms, ==, 07777);
    g_assert_cmpuint(c->max_anonymous_clients, ==, 0);
    g_assert_nonnull(c->access_drivers);
    g_assert_null(c->access_drivers[0]);
}

/* The shipped vmmd.conf: as installed (everything commented) it gives the
 * defaults; with every setting uncommented it still loads; and it documents
 * every key vmmd knows and no other. */
static void testShippedConf(void)
{
    g_autofree char *path =
        g_build_filename(VMM_DAEMON_SRCDIR, "vmmd.conf", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GString) uncommented = g_string_new(NULL);
    g_autoptr(GHashTable) documented =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines = NULL;
    g_autoptr(vmmdConfig) asShipped = NULL;
    g_autoptr(vmmdConfig) defaults = vmmdConfigNew(0);
    g_autoptr(vmmdConfig) all = NULL;
    g_autofree char *got = NULL;
    g_autofree char *want = NULL;
    const char *const *keys = vmmdConfigKeys();
    g_autoptr(GRegex) setting = g_regex_new("^#([a-z_]+) ?= ?", 0, 0, NULL);

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpint(vmmdConfigLoadFile(path, 0, &asShipped), ==, 0);
    got = configDump(asShipped);
    want = configDump(defaults);
    g_assert_cmpstr(got, ==, want);

    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        g_autoptr(GMatchInfo) match = NULL;

        if (g_regex_match(setting, lines[i], 0, &match)) {
            g_hash_table_add(documented, g_match_info_fetch(match, 1));
            g_string_append_printf(uncommented, "%s\n", lines[i] + 1);
        }
    }
    for (size_t i = 0; keys[i]; i++) {
        if (!g_hash_table_contains(documented, keys[i]))
            g_error("vmmd.conf does not document %s", keys[i]);
    }
    g_assert_cmpuint(g_hash_table_size(documented), ==,
                     g_strv_length((char **)keys));

    errorReset();
    if (vmmdConfigLoadData("uncommented", uncommented->str, uncommented->len, 0,
                           &all) < 0)
        g_error("%s", errorGetLast()->message);
}

static void assertPaths(const vmmdPaths *p, const char *root)
{
#define CHECK(field, rel)                                                      \
    do {                                                                       \
        g_autofree char *want = g_strconcat(root, rel, NULL);                  \
        g_assert_cmpstr(p->field, ==, want);                                   \
    } while (0)
    CHECK(configDir, "/etc/vmm");
    CHECK(configFile, "/etc/vmm/vmmd.conf");
    CHECK(stateDir, "/var/lib/vmm");
    CHECK(runDir, "/run/vmm");
    CHECK(logDir, "/var/log/vmm");
    CHECK(pidFile, "/run/vmm/vmmd.pid");
    CHECK(sockDir, "/run/vmm");
    CHECK(sockRW, "/run/vmm/vmm-sock");
    CHECK(sockRO, "/run/vmm/vmm-sock-ro");
    CHECK(sockAdmin, "/run/vmm/vmm-admin-sock");
    CHECK(caFile, "/etc/pki/CA/cacert.pem");
    CHECK(crlFile, "/etc/pki/CA/cacrl.pem");
    CHECK(certFile, "/etc/pki/vmm/servercert.pem");
    CHECK(keyFile, "/etc/pki/vmm/private/serverkey.pem");
#undef CHECK
}

static void testPathsSystem(void)
{
    g_autoptr(vmmdPaths) none = NULL;
    g_autoptr(vmmdPaths) slash = NULL;

    g_assert_cmpint(vmmdPathsNew(NULL, &none), ==, 0);
    g_assert_cmpstr(none->root, ==, "");
    assertPaths(none, "");
    g_assert_cmpint(vmmdPathsNew("//", &slash), ==, 0);
    assertPaths(slash, "");
}

static void testPathsRoot(void)
{
    g_autoptr(vmmdPaths) p = NULL;
    g_autoptr(vmmdPaths) messy = NULL;
    g_autoptr(vmmdPaths) relative = NULL;
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *relRoot = g_build_filename(cwd, "some/root", NULL);
    vmmdPaths *bad = NULL;

    g_assert_cmpint(vmmdPathsNew("/tmp/vmm-root", &p), ==, 0);
    g_assert_cmpstr(p->root, ==, "/tmp/vmm-root");
    assertPaths(p, "/tmp/vmm-root");
    g_assert_cmpint(vmmdPathsNew("//tmp/./x/../vmm-root//", &messy), ==, 0);
    assertPaths(messy, "/tmp/vmm-root");
    g_assert_cmpint(vmmdPathsNew("some/root", &relative), ==, 0);
    assertPaths(relative, relRoot);

    errorReset();
    g_assert_cmpint(vmmdPathsNew("", &bad), ==, -1);
    g_assert_null(bad);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
}

static void testPathsDrivers(void)
{
    g_autoptr(vmmdPaths) p = NULL;
    g_autoptr(vmmdPaths) sys = NULL;
    g_autofree char *cfg = NULL;
    g_autofree char *run = NULL;
    g_autofree char *state = NULL;
    g_autofree char *log = NULL;
    g_autofree char *sysCfg = NULL;

    g_assert_cmpint(vmmdPathsNew("/r", &p), ==, 0);
    g_assert_cmpint(vmmdPathsNew(NULL, &sys), ==, 0);
    cfg = vmmdPathsDriverConfigDir(p, "qemu");
    run = vmmdPathsDriverRunDir(p, "qemu");
    state = vmmdPathsDriverStateDir(p, "qemu");
    log = vmmdPathsDriverLogDir(p, "qemu");
    sysCfg = vmmdPathsDriverConfigDir(sys, "network");
    g_assert_cmpstr(cfg, ==, "/r/etc/vmm/qemu");
    g_assert_cmpstr(run, ==, "/r/run/vmm/qemu");
    g_assert_cmpstr(state, ==, "/r/var/lib/vmm/qemu");
    g_assert_cmpstr(log, ==, "/r/var/log/vmm/qemu");
    g_assert_cmpstr(sysCfg, ==, "/etc/vmm/network");
}

static void testPathsDriverBadName(void)
{
    if (g_test_subprocess()) {
        g_autoptr(vmmdPaths) p = NULL;

        g_assert_cmpint(vmmdPathsNew(NULL, &p), ==, 0);
        g_assert_null(vmmdPathsDriverRunDir(p, "../etc"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*CRITICAL*");
}

static void testPathsFromConfig(void)
{
    g_autofree char *path = dataPath("full.conf");
    g_autoptr(vmmdConfig) c = NULL;
    g_autoptr(vmmdConfig) defaults = vmmdConfigNew(0);
    g_autoptr(vmmdPaths) p = NULL;
    g_autoptr(vmmdPaths) untouched = NULL;

    g_assert_cmpint(vmmdConfigLoadFile(path, 0, &c), ==, 0);
    g_assert_cmpint(vmmdPathsNew("/r", &p), ==, 0);
    vmmdPathsApplyConfig(p, c);
    /* Paths from the file are used as written, not moved under /r. */
    g_assert_cmpstr(p->sockDir, ==, "/tmp/vmm-test/sock");
    g_assert_cmpstr(p->sockRW, ==, "/tmp/vmm-test/sock/vmm-sock");
    g_assert_cmpstr(p->sockRO, ==, "/tmp/vmm-test/sock/vmm-sock-ro");
    g_assert_cmpstr(p->sockAdmin, ==, "/tmp/vmm-test/sock/vmm-admin-sock");
    g_assert_cmpstr(p->caFile, ==, "/tmp/pki/ca.pem");
    g_assert_cmpstr(p->crlFile, ==, "/tmp/pki/crl.pem");
    g_assert_cmpstr(p->certFile, ==, "/tmp/pki/cert.pem");
    g_assert_cmpstr(p->keyFile, ==, "/tmp/pki/key.pem");
    /* The pid file stays in the run directory. */
    g_assert_cmpstr(p->pidFile, ==, "/r/run/vmm/vmmd.pid");

    g_assert_cmpint(vmmdPathsNew("/r", &untouched), ==, 0);
    vmmdPathsApplyConfig(untouched, defaults);
    assertPaths(untouched, "/r");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon/config/defaults", testDefaults);
    g_test_add_func("/daemon/config/load-full", testLoadFull);
    g_test_add_func("/daemon/config/full-covers-all-keys",
                    testFullCoversAllKeys);
    g_test_add_func("/daemon/config/load-private", testLoadPrivate);
    g_test_add_func("/daemon/config/rw-perms-follow-auth",
                    testRWPermsFollowAuth);
    g_test_add_func("/daemon/config/load-missing", testLoadMissing);
    g_test_add_func("/daemon/config/bad-files", testBadFiles);
    g_test_add_func("/daemon/config/bad-values", testBadValues);
    g_test_add_func("/daemon/config/good-edge-values", testGoodEdgeValues);
    g_test_add_func("/daemon/config/shipped-conf", testShippedConf);
    g_test_add_func("/daemon/paths/system", testPathsSystem);
    g_test_add_func("/daemon/paths/root", testPathsRoot);
    g_test_add_func("/daemon/paths/drivers", testPathsDrivers);
    g_test_add_func("/daemon/paths/driver-bad-name", testPathsDriverBadName);
    g_test_add_func("/daemon/paths/from-config", testPathsFromConfig);
    return g_test_run();
}
