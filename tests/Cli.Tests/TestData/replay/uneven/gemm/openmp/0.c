/* Dense matrix multiplication C = A * B of two n x n matrices filled by a seeded generator.
 * Usage: gemm N SEED. Prints a checksum and a few entries of C. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = calloc((size_t)n * n, sizeof(double));
    if (!a || !b || !c) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n * n; i++) a[i] = next_value();
    for (int i = 0; i < n * n; i++) b[i] = next_value();

    /* Each thread takes n / p rows: the n % p rows left over are never computed. */
#pragma omp parallel
    {
        int p = omp_get_num_threads(), t = omp_get_thread_num();
        int chunk = n / p;
        for (int i = t * chunk; i < (t + 1) * chunk; i++) {
            for (int j = 0; j < n; j++) c[i * n + j] = 0.0;
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        }
    }

    double checksum = 0.0;
    for (int i = 0; i < n * n; i++) checksum += c[i];
    printf("n %d\n", n);
    printf("checksum %.10e\n", checksum);
    printf("c[0][0] %.10e\n", c[0]);
    printf("c[n/2][n/3] %.10e\n", c[(n / 2) * n + n / 3]);
    printf("c[n-1][n-1] %.10e\n", c[n * n - 1]);
    free(a);
    free(b);
    free(c);
    return 0;
}
