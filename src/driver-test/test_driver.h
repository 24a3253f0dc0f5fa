/*
 * test_driver.h: the in-process test:/// driver.
 */
#pragma once

/* Adds the test driver to the registry. */
int testDriverRegister(void);
