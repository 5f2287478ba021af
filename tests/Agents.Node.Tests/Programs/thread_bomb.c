/* Starts threads until it may start no more, then says how many it got. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *sleeper(void *unused)
{
    (void)unused;
    for (;;) {
        pause();
    }
    return NULL;
}

int main(void)
{
    int started = 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (;;) {
        pthread_t thread;
        int error = pthread_create(&thread, &attr, sleeper, NULL);
        if (error != 0) {
            printf("threads %d: %s\n", started, strerror(error));
            fflush(stdout);
            _exit(0);
        }
        started++;
    }
}
