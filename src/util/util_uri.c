/*
 * util_uri.c: connection URIs split with glib's GUri, plus what GUri does
 * not give: the driver / transport halves of the scheme and the query as
 * an ordered list of decoded parameters (a parameter may repeat, and
 * drivers take the last one).
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_uri.h"

void uriFree(vmmURI *uri)
{
    if (!uri)
        return;
    g_free(uri->scheme);
    g_free(uri->driver);
    g_free(uri->transport);
    g_free(uri->user);
    g_free(uri->server);
    g_free(uri->path);
    g_strfreev(uri->paramNames);
    g_strfreev(uri->paramValues);
    g_free(uri);
}

static char *uriNonEmpty(const char *s)
{
    return s && *s ? g_strdup(s) : NULL;
}

/* Splits "a=1&b=2" into the two NULL-terminated arrays of @uri. */
static int uriParseQuery(const char *str, const char *query, vmmURI *uri)
{
    g_auto(GStrv) pairs = g_strsplit(query ? query : "", "&", -1);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);

    for (size_t i = 0; pairs[i]; i++) {
        const char *eq = strchr(pairs[i], '=');
        g_autofree char *rawName = NULL;
        char *name, *value;

        if (!*pairs[i])
            continue;
        rawName = eq ? g_strndup(pairs[i], eq - pairs[i]) : g_strdup(pairs[i]);
        name = g_uri_unescape_string(rawName, NULL);
        value = g_uri_unescape_string(eq ? eq + 1 : "", NULL);
        if (!name || !value || !*name) {
            g_free(name);
            g_free(value);
            errorReport(VMM_FROM_URI, VMM_ERR_INVALID_ARG,
                        "malformed query parameter '%s' in URI '%s'", pairs[i],
                        str);
            return -1;
        }
        g_ptr_array_add(names, name);
        g_ptr_array_add(values, value);
    }
    uri->nparams = names->len;
    g_ptr_array_add(names, NULL);
    g_ptr_array_add(values, NULL);
    uri->paramNames = (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
    uri->paramValues =
        (char **)g_ptr_array_free(g_steal_pointer(&values), FALSE);
    return 0;
}

/* Fills the scheme fields of @uri from @scheme ("qemu+unix"). */
static int uriSplitScheme(const char *str, const char *scheme, vmmURI *uri)
{
    const char *plus = strchr(scheme, '+');

    uri->scheme = g_ascii_strdown(scheme, -1);
    uri->driver =
        plus ? g_ascii_strdown(scheme, plus - scheme) : g_strdup(uri->scheme);
    uri->transport = plus ? g_ascii_strdown(plus + 1, -1) : NULL;
    if (!*uri->driver || (uri->transport && !*uri->transport)) {
        errorReport(VMM_FROM_URI, VMM_ERR_INVALID_ARG,
                    "malformed scheme '%s' in URI '%s'", scheme, str);
        return -1;
    }
    return 0;
}

int uriParse(const char *str, vmmURI **ret_uri)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) guri = NULL;
    g_autoptr(vmmURI) uri = g_new0(vmmURI, 1);

    if (!str || !*str) {
        errorReport(VMM_FROM_URI, VMM_ERR_INVALID_ARG, "empty URI");
        return -1;
    }
    guri = g_uri_parse(str, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS,
                       &gerr);
    if (!guri) {
        errorReport(VMM_FROM_URI, VMM_ERR_INVALID_ARG,
                    "cannot parse URI '%s': %s", str, gerr->message);
        return -1;
    }
    if (uriSplitScheme(str, g_uri_get_scheme(guri), uri) < 0 ||
        uriParseQuery(str, g_uri_get_query(guri), uri) < 0)
        return -1;
    uri->user = uriNonEmpty(g_uri_get_user(guri));
    uri->server = uriNonEmpty(g_uri_get_host(guri));
    uri->port = MAX(g_uri_get_port(guri), 0);
    uri->path = g_strdup(g_uri_get_path(guri));
    *ret_uri = g_steal_pointer(&uri);
    return 0;
}

const char *uriGetParam(const vmmURI *uri, const char *name)
{
    for (size_t i = uri->nparams; i > 0; i--) {
        if (g_str_equal(uri->paramNames[i - 1], name))
            return uri->paramValues[i - 1];
    }
    return NULL;
}

/* Characters left as they are in query names and values: paths and
 * addresses read better unescaped and need no escaping there. */
#define URI_QUERY_ALLOWED "/:@,"

static char *uriFormatQuery(const vmmURI *uri)
{
    g_autoptr(GString) query = g_string_new(NULL);

    for (size_t i = 0; i < uri->nparams; i++) {
        if (i > 0)
            g_string_append_c(query, '&');
        g_string_append_uri_escaped(query, uri->paramNames[i],
                                    URI_QUERY_ALLOWED, FALSE);
        g_string_append_c(query, '=');
        g_string_append_uri_escaped(query, uri->paramValues[i],
                                    URI_QUERY_ALLOWED, FALSE);
    }
    return uri->nparams ? g_string_free(g_steal_pointer(&query), FALSE) : NULL;
}

char *uriFormat(const vmmURI *uri)
{
    g_autofree char *query = uriFormatQuery(uri);

    /* An empty host keeps the "//" of "test:///default". */
    return g_uri_join(G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS,
                      uri->scheme, uri->user, uri->server ? uri->server : "",
                      uri->port > 0 ? uri->port : -1,
                      uri->path ? uri->path : "", query, NULL);
}
