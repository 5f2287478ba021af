/* OpenMP histogram: a parallel loop with atomic increments. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

static unsigned long long state;

static int next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((state >> 33) % 1000);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N BINS SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    int bins = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || bins < 1 || bins > 1000) {
        fprintf(stderr, "N must be positive and BINS in 1..1000\n");
        return 1;
    }
    int *v = malloc(sizeof(int) * n);
    long *count = calloc(bins, sizeof(long));
    if (!v || !count) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) v[i] = next_value();

    #pragma omp paralel for
    for (long i = 0; i < n; i++) {
        #pragma omp atomic
        count[v[i] * bins / 1000]++;
    }

    long total = 0;
    for (int b = 0; b < bins; b++) {
        printf("bin %d %ld\n", b, count[b]);
        total += count[b];
    }
    printf("total %ld\n", total);
    free(v);
    free(count);
    return 0;
}
