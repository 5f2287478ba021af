/* OpenMP stencil: each thread copies its block with one ghost cell per side and runs every step on its copy. */
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
    {
        int t = omp_get_thread_num(), team = omp_get_num_threads();
        long lo = n * t / team, hi = n * (t + 1) / team;
        long width = hi - lo + 2;
        double *a = malloc(sizeof(double) * width), *b = malloc(sizeof(double) * width);
        for (long k = 0; k < width; k++) {
            long i = lo - 1 + k;
            a[k] = b[k] = (i >= 0 && i < n) ? u[i] : 0.0;
        }
        for (int s = 0; s < steps; s++) {
            for (long k = 1; k < width - 1; k++) {
                long i = lo - 1 + k;
                b[k] = (i > 0 && i < n - 1) ? a[k] + 0.25 * (a[k - 1] - 2.0 * a[k] + a[k + 1]) : a[k];
            }
            double *swap = a; a = b; b = swap;
        }
        #pragma omp barrier
        for (long k = 1; k < width - 1; k++) u[lo - 1 + k] = a[k];
        free(a);
        free(b);
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
