/*
 * domain_conf_devices.h: internal to src/conf. The <devices> half of the
 * domain definition, and the small helpers domain_conf.c shares with it.
 * Other layers use domain_conf.h only.
 */
#pragma once

#include <stddef.h>

#include "util_xml.h"
#include "domain_conf.h"

/* Index of @str in @table (entries "" never match), or -1. */
int domainEnumFromString(const char *const *table, size_t n, const char *str);
/* @table[@val], or NULL when out of range. */
const char *domainEnumToString(const char *const *table, size_t n, int val);

#define DOMAIN_ENUM_FROM_STRING(table, str)                                    \
    domainEnumFromString(table, G_N_ELEMENTS(table), str)
#define DOMAIN_ENUM_TO_STRING(table, val)                                      \
    domainEnumToString(table, G_N_ELEMENTS(table), val)

/* The text of child @name of @parent (which may carry only @attrs);
 * *ret_text is NULL when absent or empty. */
int domainParseTextChild(const xmlNode *parent, const char *name,
                         const char *const *attrs, char **ret_text);

/* Scales @value by @unit (libvirt's names: b/bytes, KB, k/KiB, MB, M/MiB,
 * ... up to E/EiB; NULL means KiB) into KiB, rounding up. Errors name
 * @node's element. */
int domainScaleUnit(const xmlNode *node, unsigned long long value,
                    const char *unit, unsigned long long *ret_kib);

/* Reports VMM_ERR_XML_ERROR for a missing mandatory attribute; returns -1. */
int domainMissingAttr(const xmlNode *node, const char *attr);

/* The optional <address> child of device element @dev. */
int domainAddressParse(const xmlNode *dev, domainDeviceAddress *addr);
void domainAddressFormat(vxmlBuf *buf, const domainDeviceAddress *addr);
void domainAddressClear(domainDeviceAddress *addr);
/* Ends an element opened with "<@name ..." whose only possible child is
 * its address: "/>" or ">...<address/></@name>". */
void domainFormatCloseWithAddress(vxmlBuf *buf, const char *name,
                                  const domainDeviceAddress *addr);

/* The optional <boot order='N'/> child of device element @dev. */
int domainBootOrderParse(const xmlNode *dev, unsigned int *ret_order);

void domainDevicesDefInit(domainDevicesDef *devices);
void domainDevicesDefClear(domainDevicesDef *devices);

/* Parses <devices> (@node may be NULL) into def->devices; may look at the
 * rest of @def for defaults. */
int domainDevicesParse(const xmlNode *node, domainDef *def);

/* Formats <devices>; @flags are domainDefFormatFlags. */
void domainDevicesFormat(vxmlBuf *buf, const domainDevicesDef *devices,
                         unsigned int flags);
