/* OpenMP GEMV power iteration: the rows of y = A x are independent dot products, shared among threads
 * with a static schedule; the largest |y_i| is found in the same loop with a max reduction (exact, so
 * the result does not depend on the thread count), then x = y / m is a second parallel loop. */
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
        fprintf(stderr, "usage: %s N ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || iterations < 1) {
        fprintf(stderr, "N and ITERATIONS must be positive\n");
        return 1;
    }
    double *a = malloc(sizeof(double) * n * n);
    double *x = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n);
    if (!a || !x || !y) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < (long)n * n; i++) a[i] = next_value();
    for (int i = 0; i < n; i++) x[i] = next_value();

    double scale = 0.0;
    for (int it = 0; it < iterations; it++) {
        double m = 0.0;
        #pragma omp parallel for schedule(static) reduction(max : m)
        for (int i = 0; i < n; i++) {
            const double *row = a + (long)i * n;
            double s = 0.0;
            for (int j = 0; j < n; j++) s += row[j] * x[j];
            y[i] = s;
            if (fabs(s) > m) m = fabs(s);
        }
        scale = m;
        #pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) x[i] = y[i] / m;
    }

    double sum = 0.0;
    #pragma omp parallel for schedule(static) reduction(+ : sum)
    for (int i = 0; i < n; i++) sum += x[i];
    printf("n %d iterations %d\n", n, iterations);
    printf("scale %.10e\n", scale);
    printf("sum-x %.10e\n", sum);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    free(a);
    free(x);
    free(y);
    return 0;
}
