/*
 * domain_conf_chr.h: internal to src/conf. Character devices (serial,
 * console, channel), display (graphics, video, input) and the single-
 * purpose devices (watchdog, memballoon, rng) of <devices>.
 */
#pragma once

#include "util_xml.h"
#include "domain_conf.h"

void domainChrDevicesInit(domainDevicesDef *devices);
void domainChrDevicesClear(domainDevicesDef *devices);
bool domainChrDevicesEmpty(const domainDevicesDef *devices);
void domainChrDevicesFormat(vxmlBuf *buf, const domainDevicesDef *devices,
                            unsigned int flags);

/* One parser per element; each appends to @devices. */
int domainChrParse(const xmlNode *node, domainDevicesDef *devices);
int domainInputParse(const xmlNode *node, domainDevicesDef *devices);
int domainGraphicsParse(const xmlNode *node, domainDevicesDef *devices);
int domainVideoParse(const xmlNode *node, domainDevicesDef *devices);
int domainWatchdogParse(const xmlNode *node, domainDevicesDef *devices);
int domainMemballoonParse(const xmlNode *node, domainDevicesDef *devices);
int domainRNGParse(const xmlNode *node, domainDevicesDef *devices);
int domainSoundParse(const xmlNode *node, domainDevicesDef *devices);
int domainAudioParse(const xmlNode *node, domainDevicesDef *devices);
int domainRedirdevParse(const xmlNode *node, domainDevicesDef *devices);
int domainPanicParse(const xmlNode *node, domainDevicesDef *devices);
