/*
 * util_uri.h: connection URIs such as "qemu+unix:///system?socket=/x" or
 * "test:///default", split into the parts drivers choose by.
 */
#pragma once

#include <glib.h>

typedef struct {
    char *scheme;    /* full scheme, e.g. "qemu+unix" */
    char *driver;    /* before '+': "qemu" */
    char *transport; /* after '+': "unix", "tls", "tcp"; NULL when absent */
    char *user;      /* NULL when absent */
    char *server;    /* NULL when absent */
    int port;        /* 0 when absent */
    char *path;      /* "" when absent, e.g. "/system" */
    char **paramNames;  /* query parameters, decoded, in order */
    char **paramValues;
    size_t nparams;
} vmmURI;

/* Parses @str. Failure raises VMM_ERR_INVALID_ARG (domain VMM_FROM_URI)
 * naming the problem and leaves *ret_uri untouched. */
int uriParse(const char *str, vmmURI **ret_uri);
void uriFree(vmmURI *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmURI, uriFree)

/* The value of the last parameter called @name, or NULL. */
const char *uriGetParam(const vmmURI *uri, const char *name);

/* The URI as a string again (parameters re-encoded). */
char *uriFormat(const vmmURI *uri);
