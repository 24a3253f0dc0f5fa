/*
 * fd_stream.h: a stream driver over one file descriptor, for local
 * drivers: a pty or unix socket of a guest's console today, a file for
 * volume upload and download later.
 *
 * The descriptor is made non-blocking; a blocking stream waits in poll()
 * inside Send and Recv. Event callbacks are watches on the default event
 * loop. Finish and Abort close the descriptor.
 */
#pragma once

#include <stdbool.h>

#include "datatypes.h"

/* Binds @st (unbound) to @fd, which it takes over in every case. */
int fdStreamOpen(vmmStreamPtr st, int fd);

/* Whether @st is an fd stream that is still open (neither finished,
 * aborted nor killed). Any thread. */
bool fdStreamIsActive(vmmStreamPtr st);

/* Takes an open fd stream away from its user, from any thread: later
 * Send and Recv fail with @reason (VMM_ERR_OPERATION_FAILED) and the
 * user's callback, if any, gets a HANGUP from the event loop, so that it
 * notices and aborts. Used when another user takes a console by force. */
void fdStreamKill(vmmStreamPtr st, const char *reason);
