/*
 * domain_conf_os.h: internal to src/conf. <os>, <bootloader>, <cpu> and
 * <seclabel> of a domain definition (domain_conf_os.c).
 */
#pragma once

#include "util_xml.h"
#include "domain_conf.h"

void domainOSDefClear(domainOSDef *os);
void domainCPUDefInit(domainCPUDef *cpu);
void domainCPUDefClear(domainCPUDef *cpu);
/* Free function of domainDef.seclabels. */
void domainSeclabelDefFree(gpointer data);

/* Each reads its element(s) among the children of <domain> @root. */
int domainOSParse(const xmlNode *root, domainDef *def);
int domainBootloaderParse(const xmlNode *root, domainDef *def);
int domainCPUParse(const xmlNode *root, domainDef *def);
int domainSeclabelsParse(const xmlNode *root, domainDef *def);

void domainOSFormat(vxmlBuf *buf, const domainOSDef *os);
void domainBootloaderFormat(vxmlBuf *buf, const domainDef *def);
void domainCPUFormat(vxmlBuf *buf, const domainCPUDef *cpu);
void domainSeclabelsFormat(vxmlBuf *buf, const domainDef *def);
