/*
 * vmmd_config.h: the daemon's settings, as read from vmmd.conf.
 *
 * The file uses libvirtd.conf's syntax and, where a setting means the same
 * thing, libvirtd.conf's key name and default, so an administrator's
 * libvirtd.conf knowledge (and most of the file itself) carries over. Every
 * value is checked when the file is loaded: an unknown key, a value of the
 * wrong type or out of range is an error naming file, line and key, and the
 * daemon refuses to start rather than run with half of its configuration.
 *
 * Paths the file does not set stay NULL here; daemon/vmmd_paths.c supplies
 * the defaults, which depend on `vmmd --root`.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* The default TCP ports, libvirt's. */
#define VMMD_TLS_PORT "16514"
#define VMMD_TCP_PORT "16509"

/* How clients of one socket authenticate. The numbers are libvirt's
 * remote_auth_type, as they travel in the reply to AUTH_LIST. */
typedef enum {
    VMMD_AUTH_NONE = 0,
    VMMD_AUTH_SASL = 1,
    VMMD_AUTH_POLKIT = 2,
    VMMD_AUTH_LAST
} vmmdAuthType;

/* "none", "sasl", "polkit"; NULL when out of range. */
const char *vmmdAuthTypeToString(vmmdAuthType auth);

/* Field names are the key names. Strings are NULL when not set and no
 * default applies. */
typedef struct {
    /* Network listeners. */
    bool listen_tls;
    bool listen_tcp;
    char *tls_port;
    char *tcp_port;
    char *listen_addr;

    /* UNIX sockets. Permissions are file modes (e.g. 0700); when the file
     * does not set unix_sock_rw_perms it is 0777 with polkit on that
     * socket, 0700 otherwise. */
    char *unix_sock_group;
    unsigned int unix_sock_ro_perms;
    unsigned int unix_sock_rw_perms;
    unsigned int unix_sock_admin_perms;
    char *unix_sock_dir;

    /* Authentication and access control. */
    vmmdAuthType auth_unix_ro;
    vmmdAuthType auth_unix_rw;
    vmmdAuthType auth_tcp;
    vmmdAuthType auth_tls;
    unsigned int tcp_min_ssf;
    char **access_drivers;

    /* TLS. */
    char *key_file;
    char *cert_file;
    char *ca_file;
    char *crl_file;
    bool tls_no_sanity_certificate;
    bool tls_no_verify_certificate;
    char **tls_allowed_dn_list;
    char *tls_priority;
    char **sasl_allowed_username_list; /* accepted; vmmd has no SASL */

    /* Processing limits of the main server. */
    unsigned int max_clients;
    unsigned int max_queued_clients;
    unsigned int max_anonymous_clients;
    unsigned int min_workers;
    unsigned int max_workers;
    unsigned int prio_workers;
    unsigned int max_client_requests;

    /* The same for the admin server. */
    unsigned int admin_min_workers;
    unsigned int admin_max_workers;
    unsigned int admin_max_clients;
    unsigned int admin_max_queued_clients;
    unsigned int admin_max_client_requests;

    /* Logging; log_level 0 means "not set": the daemon's default applies. */
    unsigned int log_level;
    char *log_filters;
    char *log_outputs;

    /* Auditing. */
    unsigned int audit_level;
    bool audit_logging;

    /* Host identity. */
    char *host_uuid;
    char *host_uuid_source;

    /* Keepalive; an interval of -1 (or 0) sends no keepalive requests. */
    int keepalive_interval;
    unsigned int keepalive_count;
    int admin_keepalive_interval;
    unsigned int admin_keepalive_count;

    unsigned int ovs_timeout;
} vmmdConfig;

/* Flags of vmmdConfigNew and the loaders. */
typedef enum {
    /* Defaults for a daemon running as root: polkit on the UNIX sockets,
     * as libvirtd does. */
    VMMD_CONFIG_PRIVILEGED = 1 << 0,
    /* A config file that does not exist means "all defaults". */
    VMMD_CONFIG_ALLOW_MISSING = 1 << 1,
} vmmdConfigFlags;

/* All defaults. */
vmmdConfig *vmmdConfigNew(unsigned int flags);
void vmmdConfigFree(vmmdConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdConfig, vmmdConfigFree)

/* Defaults overridden by the file @path. On failure the error is set,
 * naming the file, the line and the key, and ret_config is untouched. */
int vmmdConfigLoadFile(const char *path, unsigned int flags,
                       vmmdConfig **ret_config);

/* The same from @len bytes of @data; @name stands for the file in
 * errors. */
int vmmdConfigLoadData(const char *name, const char *data, size_t len,
                       unsigned int flags, vmmdConfig **ret_config);

/* The keys vmmd knows, in the order of the default vmmd.conf; NULL
 * terminated. Lets tests check that the shipped file documents them all. */
const char *const *vmmdConfigKeys(void);
