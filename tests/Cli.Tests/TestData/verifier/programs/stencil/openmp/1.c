/* OpenMP stencil: one parallel region for all steps; a single thread swaps the grids. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 100);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N STEPS SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    int steps = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || steps < 0) {
        fprintf(stderr, "N must be positive and STEPS not negative\n");
        return 1;
    }
    double *u = malloc(sizeof(double) * n);
    double *v = malloc(sizeof(double) * n);
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) u[i] = v[i] = next_value();

    #pragma omp parallel
    for (int s = 0; s < steps; s++) {
        #pragma omp for schedule(static)
        for (long i = 1; i < n - 1; i++)
            v[i] = u[i] + 0.25 * (u[i - 1] - 2.0 * u[i] + u[i + 1]);
        #pragma omp single
        {
            double *t = u; u = v; v = t;
        }
    }

    double total = 0.0, weighted = 0.0;
    for (long i = 0; i < n; i++) {
        total += u[i];
        weighted += (double)(i + 1) * u[i];
    }
    printf("n %ld steps %d\n", n, steps);
    printf("total %.10e\n", total);
    printf("weighted %.10e\n", weighted);
    printf("u[n/3] %.10e\n", u[n / 3]);
    printf("u[n/2] %.10e\n", u[n / 2]);
    printf("u[n-1-n/3] %.10e\n", u[n - 1 - n / 3]);
    free(u);
    free(v);
    return 0;
}
