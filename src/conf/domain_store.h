/*
 * domain_store.h: domain definitions and run-time status on disk, shared
 * by every hypervisor driver that keeps guests across daemon restarts.
 *
 * Layout, libvirt's:
 *   CONFIGDIR/NAME.xml            the persistent definition
 *   CONFIGDIR/autostart/NAME.xml  symlink to it while autostart is on
 *   RUNDIR/NAME.xml               status of a running guest:
 *       <domstatus state='running' reason='1' pid='N'>
 *         <monitor path='...' type='unix'/>
 *         <domain ... id='N'> (the live definition) </domain>
 *       </domstatus>
 *
 * Every write goes through fileWriteAtomic (temp file, fsync, rename,
 * fsync of the directory): an acknowledged save survives kill -9 and a
 * crash mid-write leaves the old file, never a truncated one. The
 * temporaries are dot files, which the loaders never read.
 *
 * This file does not log (conf never logs above debug): what it skipped
 * while loading is handed back for the driver to report.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include <glib.h>

#include "domain_conf.h"
#include "domain_obj.h"

/* Largest definition or status file read back, in bytes. */
#define DOMAIN_STORE_FILE_MAX (16 * 1024 * 1024)

/* CONFIGDIR/NAME.xml (or RUNDIR/NAME.xml). Never NULL. */
char *domainStorePath(const char *dir, const char *name);

/* Writes @def (secrets included) as CONFIGDIR/NAME.xml, mode 0600,
 * creating @configDir when missing. */
int domainStoreSaveDef(const char *configDir, const domainDef *def);

/* Removes CONFIGDIR/NAME.xml and its autostart link; missing files are
 * fine. */
int domainStoreDeleteDef(const char *configDir, const char *name);

/* Creates or removes the link CONFIGDIR/autostart/NAME.xml. */
int domainStoreSetAutostart(const char *configDir, const char *name,
                            bool autostart);
bool domainStoreGetAutostart(const char *configDir, const char *name);

/* A driver's veto on a definition read from disk (e.g. a type it does
 * not run): -1 with an error set skips the file. */
typedef int (*domainStoreCheckFunc)(const domainDef *def, void *opaque);

/* Adds every CONFIGDIR/NAME.xml to @list as a persistent, inactive guest,
 * with its autostart flag. A file that cannot be read or parsed, whose
 * guest name is not its file name, that @check refuses or that clashes
 * with a guest already listed is skipped and left alone on disk; each
 * skip adds "PATH: reason" to *@ret_skipped (a new array of strings, also
 * when empty). A missing @configDir holds no guests. Fails only when the
 * directory cannot be read. */
int domainStoreLoadAll(const char *configDir, domainObjList *list,
                       domainStoreCheckFunc check, void *opaque,
                       GPtrArray **ret_skipped);

/* The run-time status of one running guest. */
typedef struct {
    domainDef *def;    /* the live definition */
    int id;            /* domain id */
    int state;         /* vmmDomainState */
    int reason;        /* reason of @state */
    pid_t pid;         /* the hypervisor process, 0 when none */
    char *monitorPath; /* its control socket, or NULL */
} domainStatus;

void domainStatusFree(domainStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainStatus, domainStatusFree)

/* Writes RUNDIR/NAME.xml (NAME from @status->def), mode 0600, creating
 * @runDir when missing. */
int domainStoreSaveStatus(const char *runDir, const domainStatus *status);

/* Reads RUNDIR/NAME.xml. VMM_ERR_NO_DOMAIN when there is none. */
int domainStoreLoadStatus(const char *runDir, const char *name,
                          domainStatus **ret_status);

/* Removes RUNDIR/NAME.xml; a missing one is fine. */
int domainStoreDeleteStatus(const char *runDir, const char *name);

/* Names of the guests with a status file in @runDir, sorted (empty when
 * the directory does not exist). */
int domainStoreListStatus(const char *runDir, GPtrArray **ret_names);

const char *domainStateToString(int state);
int domainStateFromString(const char *str); /* -1 when unknown */
