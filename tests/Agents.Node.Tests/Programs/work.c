/* A fixed amount of arithmetic (argv[1] million steps, default 20), timed by itself and printed as the study's codes
   do; exits with argv[2] (default 0). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long steps = (argc > 1 ? atol(argv[1]) : 20) * 1000000L;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    volatile double x = 1.0;
    for (long i = 0; i < steps; i++) {
        x = x * 1.0000001 + 1e-9;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("result %.3f\n", x > 0 ? 1.0 : 0.0);
    printf("Kernel executed in %.6f seconds\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return argc > 2 ? atoi(argv[2]) : 0;
}
