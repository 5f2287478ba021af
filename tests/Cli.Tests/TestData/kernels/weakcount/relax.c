#include <stdio.h>
#include <stdlib.h>

#ifndef OMEGA
#define OMEGA 1.0
#endif
#define STEPS 50

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    double *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    int step, i;
    if (n < 3 || a == NULL || b == NULL) {
        return 1;
    }
    a[0] = 100.0;
    b[0] = 100.0;
    for (step = 0; step < STEPS; step++) {
        for (i = 1; i < n - 1; i++) {
            b[i] = a[i] + OMEGA * (0.5 * (a[i - 1] + a[i + 1]) - a[i]);
        }
        double *t = a; a = b; b = t;
    }
    printf("done after %d steps\n", STEPS);
    free(a);
    free(b);
    return 0;
}
