/* OpenMP prefix sum: blocks scanned per thread. */
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

    #pragma omp parallel
    {
        int t = omp_get_thread_num(), team = omp_get_num_threads();
        long lo = n * t / team, hi = n * (t + 1) / team, running = 0;
        for (long i = lo; i < hi; i++) {
            running += a[i];
            p[i] = running;
        }
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
