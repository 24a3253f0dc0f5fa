/*
 * domain_conf_tune.h: internal to src/conf. How a domain's resources are
 * arranged: <memoryBacking>, <iothreads>, and a container's user
 * namespace <idmap> (domain_conf_tune.c).
 */
#pragma once

#include "util_xml.h"
#include "domain_conf.h"

void domainTuneDefInit(domainDef *def);
void domainTuneDefClear(domainDef *def);

/* Each reads its element among the children of <domain> @root. */
int domainMemoryBackingParse(const xmlNode *root, domainDef *def);
int domainIothreadsParse(const xmlNode *root, domainDef *def);
int domainIdmapParse(const xmlNode *root, domainDef *def);

void domainMemoryBackingFormat(vxmlBuf *buf, const domainDef *def);
void domainIothreadsFormat(vxmlBuf *buf, const domainDef *def);
void domainIdmapFormat(vxmlBuf *buf, const domainDef *def);
