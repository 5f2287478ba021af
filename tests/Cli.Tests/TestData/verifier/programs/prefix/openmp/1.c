/* OpenMP prefix sum: an inclusive scan directive (OpenMP 5.0). */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static unsigned long long state;

static long next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (long)((state >> 33) % 100) - 45;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (n < 1) {
        fprintf(stderr, "N must be positive\n");
        return 1;
    }
    long *a = malloc(sizeof(long) * n);
    long *p = malloc(sizeof(long) * n);
    if (!a || !p) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) a[i] = next_value();

    long running = 0;
    #pragma omp parallel for reduction(inscan, +:running)
    for (long i = 0; i < n; i++) {
        running += a[i];
        #pragma omp scan inclusive(running)
        p[i] = running;
    }

    long checksum = 0;
    for (long i = 0; i < n; i++) checksum += p[i] * (i % 7 + 1);
    printf("n %ld\n", n);
    printf("p[n/3] %ld\n", p[n / 3]);
    printf("p[n/2] %ld\n", p[n / 2]);
    printf("p[n-1] %ld\n", p[n - 1]);
    printf("checksum %ld\n", checksum);

    free(a);
    free(p);
    return 0;
}
