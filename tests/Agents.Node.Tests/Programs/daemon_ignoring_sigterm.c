/* Forks a daemon that ignores SIGTERM and SIGHUP and lives forever (its argv holds the test's marker), then exits 0. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argc;
    pid_t child = fork();
    if (child == 0) {
        setsid();
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        if (fork() == 0) {
            signal(SIGTERM, SIG_IGN);
            execl("/bin/sh", "sh", "-c", "echo daemon alive; trap '' TERM HUP INT; while :; do sleep 1; done", argv[1], (char *)NULL);
        }
        _exit(0);
    }
    printf("daemon started\n");
    fflush(stdout);
    sleep(1);
    return 0;
}
