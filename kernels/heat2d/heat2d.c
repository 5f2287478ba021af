/* Jacobi / Laplace heat transfer on a 2-D plate: the top edge is held at 100 degrees, the other
 * edges at 0; each iteration replaces every interior point by the mean of its four neighbours.
 * Usage: heat2d N ITERATIONS. Prints the plate's total heat and a few probe temperatures. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N ITERATIONS\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    if (n < 3 || iterations < 0) {
        fprintf(stderr, "N must be at least 3 (a plate with an interior) and ITERATIONS not negative\n");
        return 1;
    }
    double *u = calloc((size_t)n * n, sizeof(double));
    double *v = calloc((size_t)n * n, sizeof(double));
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int j = 0; j < n; j++) u[j] = v[j] = 100.0;

    for (int it = 0; it < iterations; it++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                v[i * n + j] = 0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j] + u[i * n + j - 1] + u[i * n + j + 1]);
        double *t = u; u = v; v = t;
    }

    double total = 0.0;
    for (int i = 0; i < n * n; i++) total += u[i];
    printf("n %d iterations %d\n", n, iterations);
    printf("total %.10e\n", total);
    printf("centre %.10e\n", u[(n / 2) * n + n / 2]);
    printf("near-top %.10e\n", u[1 * n + n / 2]);
    free(u);
    free(v);
    return 0;
}
