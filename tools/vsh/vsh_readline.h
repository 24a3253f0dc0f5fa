/*
 * vsh_readline.h: the interactive shell: the "vsh # " prompt, history
 * kept across sessions and <Tab> completion of commands, options and
 * domain names.
 */
#ifndef VSH_READLINE_H
#define VSH_READLINE_H

#include "vsh.h"

/* Reads and runs lines until EOF or quit. */
void vshReadlineLoop(vshControl *ctl);

#endif /* VSH_READLINE_H */
