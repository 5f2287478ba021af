/* Tries to attach a debugger to each pid it is given (the agent), to its parent and to pid 1, and to read their memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void attach(const char *what, pid_t pid)
{
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0) {
        waitpid(pid, NULL, 0);
        errno = 0;
        long word = ptrace(PTRACE_PEEKDATA, pid, (void *)0x400000, NULL);
        printf("attached %s (%d): read %lx (%s)\n", what, (int)pid, word, strerror(errno));
        ptrace(PTRACE_DETACH, pid, NULL, NULL);
    } else {
        printf("attach %s (%d) failed: %s\n", what, (int)pid, strerror(errno));
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        attach("given", (pid_t)atoi(argv[i]));
    }
    attach("parent", getppid());
    attach("init", 1);
    return 0;
}
