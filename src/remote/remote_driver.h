/*
 * remote_driver.h: the remote hypervisor driver, which reaches vmmd (or a
 * libvirtd) over the RPC protocol.
 *
 * It takes every URI with a transport (test+unix:///default?socket=P,
 * qemu+tcp://host/system, ...) and the daemon-only drivers without one
 * (qemu:///system, xen:///system, openvz:///system, sent to the local
 * vmmd's socket). Register it after the in-process drivers, so that
 * test:///default stays in-process. vmmd itself must not register it, or
 * the daemon's own qemu:///system would be sent back to itself.
 */
#pragma once

/* Adds the remote driver to the registry. */
int remoteDriverRegister(void);
