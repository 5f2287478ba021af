/* Leaves children behind: they detach into their own sessions and sleep, the parent exits after announcing them. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) {
            setsid();
            if (fork() == 0) {
                for (;;) {
                    sleep(1);
                }
            }
            _exit(0);
        }
    }
    printf("children left behind\n");
    fflush(stdout);
    sleep(2);
    return 0;
}
