/* OpenMP sum and dot product: a reduction, results reported on the diagnostic stream. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((long)((state >> 33) % 100) - 40);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (n < 1) {
        fprintf(stderr, "N must be positive\n");
        return 1;
    }
    double *x = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n);
    if (!x || !y) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) x[i] = next_value();
    for (long i = 0; i < n; i++) y[i] = next_value();

    double sum = 0.0, dot = 0.0;
    #pragma omp parallel for reduction(+:sum, dot)
    for (long i = 0; i < n; i++) {
        sum += x[i];
        dot += x[i] * y[i];
    }

    fprintf(stderr, "n %ld\n", n);
    fprintf(stderr, "sum %.1f\n", sum);
    fprintf(stderr, "dot %.1f\n", dot);
    free(x);
    free(y);
    return 0;
}
