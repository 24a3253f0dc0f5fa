/*
 * driver_registry.h: what the API layer asks of the driver registry
 * (drivers themselves only call driverRegisterHypervisor, in driver.h).
 */
#pragma once

#include "driver.h"

/* Registers the library's drivers, once per process; every entry point
 * that can be the first call of a program runs it. */
void driverRegistryInitialize(void);

/* The @i-th registered driver in registration order, or NULL past the
 * end. */
const vmmHypervisorDriver *driverRegistryGet(size_t i);

/* The driver whose name is @name, compared without case, or NULL. */
const vmmHypervisorDriver *driverRegistryFind(const char *name);
