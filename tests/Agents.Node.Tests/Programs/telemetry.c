/* Holds 64 MiB and keeps a core busy for about a second, printing as it goes. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    size_t size = 64u << 20;
    /* volatile: the compiler must not prove the memory unused and drop it. */
    volatile char *held = malloc(size);
    for (size_t i = 0; i < size; i += 4096) {
        held[i] = 1;
    }
    double start = now();
    for (int tick = 0; tick < 10; tick++) {
        printf("tick %d\n", tick);
        fflush(stdout);
        while (now() < start + 0.12 * (tick + 1)) {
        }
    }
    return held[0] == 1 ? 0 : 1;
}
