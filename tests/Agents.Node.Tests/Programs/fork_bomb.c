/* Every process forks forever; each reports once when the kernel refuses it a child. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int reported = 0;
    for (;;) {
        if (fork() < 0) {
            if (!reported) {
                printf("fork refused: %s\n", strerror(errno));
                fflush(stdout);
                reported = 1;
            }
            usleep(10000);
        }
    }
}
