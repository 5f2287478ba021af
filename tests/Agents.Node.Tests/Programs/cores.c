/* Prints the CPUs it may run on, then keeps them busy for the number of milliseconds given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[512];
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "Cpus_allowed_list:", 18) == 0) {
            printf("cpus %s", line + 18 + strspn(line + 18, " \t"));
        }
    }
    fflush(stdout);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double milliseconds = argc > 1 ? atof(argv[1]) : 0;
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1e3 + (now.tv_nsec - start.tv_nsec) / 1e6 < milliseconds);
    return 0;
}
