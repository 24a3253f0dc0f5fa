/*
 * domain_conf_metadata.h: the application elements inside a domain's
 * <metadata>, one per XML namespace, as vmmDomainGetMetadata /
 * vmmDomainSetMetadata with VMM_DOMAIN_METADATA_ELEMENT read and write
 * them. The title and description are plain fields of domainDef.
 */
#pragma once

#include "domain_conf.h"

/* The element of namespace @uri inside <metadata>, as standalone XML with
 * its namespace declared. NULL with VMM_ERR_NO_DOMAIN_METADATA when there
 * is none. */
char *domainDefGetMetadataElement(const domainDef *def, const char *uri);

/* Puts @xml (one element) into <metadata> in namespace @uri with prefix
 * @key, replacing what that namespace held; @xml NULL or empty removes the
 * namespace's element. @def is unchanged on failure. */
int domainDefSetMetadataElement(domainDef *def, const char *xml,
                                const char *key, const char *uri);
