#include <stdio.h>
#include <stdlib.h>
#include "stencil.h"

void relax(double *next, const double *cur, int n)
{
    int i;
    for (i = 1; i < n - 1; i++) {
        next[i] = 0.25 * cur[i - 1] + 0.5 * cur[i] + 0.25 * cur[i + 1];
    }
    next[0] = cur[0];
    next[n - 1] = cur[n - 1];
}

double total(const double *v, int n)
{
    double sum = 0.0;
    int i;
    for (i = 0; i < n; i++) {
        sum += v[i];
    }
    return sum;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    int steps = argc > 2 ? atoi(argv[2]) : 100;
    double *a = malloc(n * sizeof *a);
    double *b = malloc(n * sizeof *b);
    double *swap;
    int i, s;
    if (a == NULL || b == NULL || n < 3) {
        fprintf(stderr, "usage: heat N STEPS (N >= 3)\n");
        return 1;
    }
    for (i = 0; i < n; i++) {
        a[i] = (double)((i * 7919) % 101);
    }
    for (s = 0; s < steps; s++) {
        relax(b, a, n);
        swap = a;
        a = b;
        b = swap;
    }
    printf("centre %.9f\n", a[n / 2]);
    printf("total %.9f\n", total(a, n));
    free(a);
    free(b);
    return 0;
}
