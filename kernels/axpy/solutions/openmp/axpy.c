/* OpenMP AXPY: one parallel region for all repetitions. Every repetition shares the index range out
 * with the same static schedule, so each thread updates the same block of y every time; the elements
 * are independent, so no barrier is needed between repetitions (nowait). The checksums are reductions. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <omp.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N REPETITIONS SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    int repetitions = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || repetitions < 0) {
        fprintf(stderr, "N must be positive and REPETITIONS not negative\n");
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
    const double a = 0.75;

    double sum = 0.0, sum_abs = 0.0;
    #pragma omp parallel
    {
        /* private restrict copies of the pointers, so the loop vectorises without reloading them */
        const double *restrict xp = x;
        double *restrict yp = y;
        for (int r = 0; r < repetitions; r++) {
            #pragma omp for schedule(static) nowait
            for (long i = 0; i < n; i++)
                yp[i] = a * xp[i] + yp[i];
        }
        /* same static schedule: each thread sums the block it updated itself */
        #pragma omp for schedule(static) reduction(+ : sum, sum_abs)
        for (long i = 0; i < n; i++) {
            sum += yp[i];
            sum_abs += fabs(yp[i]);
        }
    }

    printf("n %ld repetitions %d a %.2f\n", n, repetitions, a);
    printf("sum %.10e\n", sum);
    printf("sum-abs %.10e\n", sum_abs);
    printf("y[0] %.10e\n", y[0]);
    printf("y[n/3] %.10e\n", y[n / 3]);
    printf("y[n-1] %.10e\n", y[n - 1]);
    free(x);
    free(y);
    return 0;
}
