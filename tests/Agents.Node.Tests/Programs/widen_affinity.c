/* Asks for every CPU the machine has (sched_setaffinity), then prints the CPUs it may really run on. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    cpu_set_t all;
    CPU_ZERO(&all);
    long online = sysconf(_SC_NPROCESSORS_CONF);
    for (long cpu = 0; cpu < online; cpu++) {
        CPU_SET(cpu, &all);
    }
    int widened = sched_setaffinity(0, sizeof all, &all);
    cpu_set_t now;
    CPU_ZERO(&now);
    sched_getaffinity(0, sizeof now, &now);
    printf("machine %ld setaffinity %d allowed %d\n", online, widened, CPU_COUNT(&now));
    return 0;
}
