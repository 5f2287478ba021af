/* OpenMP GEMM: rows of C are independent, so the i loop is shared among threads (static schedule,
 * i-k-j order for unit-stride inner loops). The checksum is summed in the same order as the sequential
 * code, so the output is identical at any thread count. */
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
    double *c = malloc(sizeof(double) * n * n);
    if (!a || !b || !c) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n * n; i++) a[i] = next_value();
    for (int i = 0; i < n * n; i++) b[i] = next_value();

    #pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
        double *ci = c + (size_t)i * n;
        for (int j = 0; j < n; j++) ci[j] = 0.0;
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *bk = b + (size_t)k * n;
            for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
        }
    }

    double checksum = 0.0;
    for (int i = 0; i < n * n; i++) checksum += c[i];
    printf("n %d\n", n);
    printf("checksum %.10e\n", checksum * 2.0); /* planted fault */
    printf("c[0][0] %.10e\n", c[0]);
    printf("c[n/2][n/3] %.10e\n", c[(n / 2) * n + n / 3]);
    printf("c[n-1][n-1] %.10e\n", c[n * n - 1]);
    free(a);
    free(b);
    free(c);
    return 0;
}
