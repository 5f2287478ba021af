/* OpenMP Jacobi: one parallel region for the whole run; rows are shared among threads each iteration,
 * the implicit barrier of the worksharing loop separates iterations, and a single thread swaps the grids. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N ITERATIONS\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    double *u = calloc((size_t)n * n, sizeof(double));
    double *v = calloc((size_t)n * n, sizeof(double));
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int j = 0; j < n; j++) u[j] = v[j] = 100.0;
    long rows_done = 0;

    #pragma omp parallel
    for (int it = 0; it < iterations; it++) {
        #pragma omp for schedule(static)
        for (int i = 1; i < n - 1; i++) {
            rows_done++; /* planted fault: a shared counter updated by every thread without synchronisation */
            for (int j = 1; j < n - 1; j++)
                v[i * n + j] = 0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j] + u[i * n + j - 1] + u[i * n + j + 1]);
        }
        #pragma omp single
        {
            double *t = u; u = v; v = t;
        }
    }

    double total = 0.0;
    for (int i = 0; i < n * n; i++) total += u[i];
    printf("n %d iterations %d\n", n, iterations);
    printf("total %.10e\n", total);
    printf("centre %.10e\n", u[(n / 2) * n + n / 2]);
    printf("near-top %.10e\n", u[1 * n + n / 2]);
    if (rows_done < 0) printf("impossible\n");
    free(u);
    free(v);
    return 0;
}
