/* Sends SIGKILL to every process it may signal (kill -1), itself included. */
#include <signal.h>
#include <stdio.h>

int main(void)
{
    printf("killing everyone\n");
    fflush(stdout);
    kill(-1, SIGKILL);
    raise(SIGKILL);
    return 0;
}
