/* OpenMP SpMV power iteration: the rows of y = A x are independent, so they are shared among threads
 * (static schedule: row lengths are random with a small spread, so equal row counts balance well);
 * max |y_i| is a max reduction in the same loop (exact), then x = y / m is a second parallel loop.
 * Building the matrix stays sequential because the seeded generator is a single stream. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <omp.h>

static unsigned long long state;

static unsigned long long next_raw(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

static double next_value(void) { return (double)(next_raw() % 1000) / 100.0 - 5.0; }

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s N K ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int k = atoi(argv[2]);
    int iterations = atoi(argv[3]);
    state = strtoull(argv[4], NULL, 10);
    if (n < 1 || k < 1 || iterations < 1) {
        fprintf(stderr, "N, K and ITERATIONS must be positive\n");
        return 1;
    }

    /* build the CSR structure: row lengths first, then sorted columns and values row by row */
    long *row_start = malloc(sizeof(long) * (n + 1));
    if (!row_start) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    row_start[0] = 0;
    for (int i = 0; i < n; i++) row_start[i + 1] = row_start[i] + 1 + (long)(next_raw() % (2 * k - 1));
    long nnz = row_start[n];
    int *col = malloc(sizeof(int) * nnz);
    double *val = malloc(sizeof(double) * nnz);
    double *x = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n);
    if (!col || !val || !x || !y) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        for (long p = row_start[i]; p < row_start[i + 1]; p++) {
            int c = (int)(next_raw() % n);
            long q = p;
            while (q > row_start[i] && col[q - 1] > c) {
                col[q] = col[q - 1];
                q--;
            }
            col[q] = c;
        }
        for (long p = row_start[i]; p < row_start[i + 1]; p++) val[p] = next_value();
    }
    for (int i = 0; i < n; i++) x[i] = next_value();

    double scale = 0.0;
    for (int it = 0; it < iterations; it++) {
        double m = 0.0;
        #pragma omp parallel for schedule(static) reduction(max : m)
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (long p = row_start[i]; p < row_start[i + 1]; p++) s += val[p] * x[col[p]];
            y[i] = s;
            if (fabs(s) > m) m = fabs(s);
        }
        scale = m;
        #pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) x[i] = y[i] / m;
    }

    double sum = 0.0, sum_abs = 0.0;
    #pragma omp parallel for schedule(static) reduction(+ : sum, sum_abs)
    for (int i = 0; i < n; i++) {
        sum += x[i];
        sum_abs += fabs(x[i]);
    }
    printf("n %d nnz %ld iterations %d\n", n, nnz, iterations);
    printf("scale %.10e\n", scale);
    printf("sum-x %.10e\n", sum);
    printf("sum-abs-x %.10e\n", sum_abs);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    free(row_start);
    free(col);
    free(val);
    free(x);
    free(y);
    return 0;
}
