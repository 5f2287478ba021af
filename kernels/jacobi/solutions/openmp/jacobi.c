/* OpenMP Jacobi: within a sweep every x_new[i] depends only on the old x, so the rows are shared among
 * threads (static schedule, the same number of columns per row); the largest change is a max reduction
 * (exact). The residual, the norm of b and the checksum are reductions over rows as well. */
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 2 || iterations < 1) {
        fprintf(stderr, "N must be at least 2 and ITERATIONS positive\n");
        return 1;
    }
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n);
    double *x = malloc(sizeof(double) * n);
    double *x_new = malloc(sizeof(double) * n);
    if (!a || !b || !x || !x_new) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        double row_sum = 0.0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            a[(long)i * n + j] = (double)(next_raw() % 1000) / 1000.0;
            row_sum += a[(long)i * n + j];
        }
        a[(long)i * n + i] = 1.02 * row_sum;
    }
    for (int i = 0; i < n; i++) b[i] = (double)(next_raw() % 1000) / 100.0 - 5.0;
    for (int i = 0; i < n; i++) x[i] = 0.0;

    double max_change = 0.0;
    for (int it = 0; it < iterations; it++) {
        double mc = 0.0;
        #pragma omp parallel for schedule(static) reduction(max : mc)
        for (int i = 0; i < n; i++) {
            const double *row = a + (long)i * n;
            double s = 0.0;
            for (int j = 0; j < i; j++) s += row[j] * x[j];
            for (int j = i + 1; j < n; j++) s += row[j] * x[j];
            x_new[i] = (b[i] - s) / row[i];
            double change = fabs(x_new[i] - x[i]);
            if (change > mc) mc = change;
        }
        max_change = mc;
        double *t = x; x = x_new; x_new = t;
    }

    double r2 = 0.0, b2 = 0.0, sum = 0.0;
    #pragma omp parallel for schedule(static) reduction(+ : r2, b2, sum)
    for (int i = 0; i < n; i++) {
        const double *row = a + (long)i * n;
        double s = 0.0;
        for (int j = 0; j < n; j++) s += row[j] * x[j];
        r2 += (b[i] - s) * (b[i] - s);
        b2 += b[i] * b[i];
        sum += x[i];
    }
    printf("n %d iterations %d\n", n, iterations);
    printf("residual %.10e\n", sqrt(r2 / b2));
    printf("max-change %.10e\n", max_change);
    printf("sum-x %.10e\n", sum);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    free(a);
    free(b);
    free(x);
    free(x_new);
    return 0;
}
