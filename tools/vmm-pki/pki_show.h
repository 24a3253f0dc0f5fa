/*
 * pki_show.h: `vmm-pki show`: explains the certificates that are installed
 * (or the files and pkipath directories given) and says what to do about
 * anything wrong with them.
 */
#pragma once

#include "pki_store.h"

/* Examine @files (directories or certificate files), or with none the
 * installation under @paths; @caFile, when not NULL, is the CA that files
 * are checked against instead of the installed one. Prints a report on
 * stdout. Returns 0 when all is well, 1 when something is wrong (each
 * problem printed with its fix), -1 on an error that stopped the check. */
int pkiShow(const pkiPaths *paths, const char *const *files,
            const char *caFile);
