/*
 * kvm_testlib.h: what the QEMU driver's tests share: finding
 * qemu-system-x86_64, starting a bare one with a QMP socket, and killing
 * it for sure in teardown.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* The emulator to test with ($VMM_TEST_QEMU, else qemu-system-x86_64 in
 * PATH), or NULL when there is none (the test then skips). */
char *kvmTestFindQemu(void);

/* Starts "@qemu -machine none -nodefaults -display none" with QMP on the
 * unix socket @sock; aborts the test on failure. */
pid_t kvmTestStartBareQemu(const char *qemu, const char *sock);

/* A failed assertion aborts the test program before teardown runs: QEMU
 * processes registered here are then killed by a SIGABRT handler, so no
 * failure leaves a QEMU behind. Register right after the start, unregister
 * once reaped. */
void kvmTestRegisterPid(pid_t pid);
void kvmTestUnregisterPid(pid_t pid);

/* SIGKILL and reap @pid unless it is <= 0 or already reaped; unregisters
 * it. */
void kvmTestKill(pid_t pid);

/* Waits up to @timeoutMs for @pid to exit; true when it did (reaped). */
bool kvmTestWaitExit(pid_t pid, int timeoutMs);
