/* Ignores every signal it can and spins: only SIGKILL stops it. */
#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (int s = 1; s < NSIG; s++) {
        signal(s, SIG_IGN);
    }
    printf("ignoring signals\n");
    fflush(stdout);
    volatile unsigned long spins = 0;
    for (;;) {
        spins++;
    }
}
