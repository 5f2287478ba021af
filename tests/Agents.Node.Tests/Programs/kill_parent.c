/* Tries to kill its parent, the sandbox's init, every process it may signal, and the agent by its host pid. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void attempt(const char *what, pid_t pid)
{
    if (kill(pid, SIGKILL) == 0) {
        printf("kill %s (%d): sent\n", what, (int)pid);
    } else {
        printf("kill %s (%d): %s\n", what, (int)pid, strerror(errno));
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    attempt("parent", getppid());
    attempt("init", 1);
    attempt("agent", (pid_t)atoi(argv[1]));
    attempt("everyone", -1);
    usleep(200000);
    printf("still here\n");
    return 0;
}
