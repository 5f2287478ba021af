/* MPI histogram: local histograms reduced to rank 0; the bin edges are computed first. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned long long state;

static int next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((state >> 33) % 1000);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 4) {
        if (rank == 0) fprintf(stderr, "usage: %s N BINS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = atol(argv[1]);
    int bins = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || bins < 1 || bins > 1000) {
        if (rank == 0) fprintf(stderr, "N must be positive and BINS in 1..1000\n");
        MPI_Finalize();
        return 1;
    }
    /* every rank draws the same values and counts its own block of them */
    int *v = malloc(sizeof(int) * n);
    for (long i = 0; i < n; i++) v[i] = next_value();
    long lo = n * rank / size, hi = n * (rank + 1) / size;
    long *edges = malloc(sizeof(long) * bins);
    for (int b = 0; b < bins; b++) edges[b] = (long)(b + 1) * 1000 / bins;
    if (rank == 0 && edges[bins - 1] != 1000) fprintf(stderr, "bad bin edges\n");
    free(edges);
    long *local = malloc(sizeof(long) * bins);
    long *count = calloc(bins, sizeof(long));
    for (long i = lo; i < hi; i++) local[v[i] * bins / 1000]++;
    MPI_Reduce(local, count, bins, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        long total = 0;
        for (int b = 0; b < bins; b++) {
            printf("bin %d %ld\n", b, count[b]);
            total += count[b];
        }
        printf("total %ld\n", total);
    }
    free(v);
    free(local);
    free(count);
    MPI_Finalize();
    return 0;
}
