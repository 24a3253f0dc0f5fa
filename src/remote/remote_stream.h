/*
 * remote_stream.h: the client's half of streams: a vmmStream whose bytes
 * travel as stream messages of one call (its procedure and serial) over
 * the connection's remoteClient, and the remote driver's
 * domainOpenConsole slot that opens one.
 */
#pragma once

#include <vmm/vmm.h>

int remoteDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                            vmmStreamPtr st, unsigned int flags);
