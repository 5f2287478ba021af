/* MPI prefix sum: block scans, each block's offset from an inclusive scan (MPI_Scan). */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned long long state;

static long next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (long)((state >> 33) % 100) - 45;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 3) {
        if (rank == 0) fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (n < 1 || n > 100000000L) {
        if (rank == 0) fprintf(stderr, "N must be in 1..10^8\n");
        MPI_Finalize();
        return 1;
    }
    /* every rank draws the same values and scans its own block */
    long *a = malloc(sizeof(long) * n);
    long *p = malloc(sizeof(long) * n);
    for (long i = 0; i < n; i++) a[i] = next_value();
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size);
    for (int r = 0; r < size; r++) {
        displs[r] = (int)(n * r / size);
        counts[r] = (int)(n * (r + 1) / size) - displs[r];
    }
    long lo = displs[rank], hi = lo + counts[rank];
    long *mine = malloc(sizeof(long) * (counts[rank] > 0 ? counts[rank] : 1));
    long block = 0;
    for (long i = lo; i < hi; i++) {
        block += a[i];
        mine[i - lo] = block;
    }
    long offset = 0;
    MPI_Scan(&block, &offset, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);

    for (long i = lo; i < hi; i++) mine[i - lo] += offset;
    MPI_Gatherv(mine, counts[rank], MPI_LONG, p, counts, displs, MPI_LONG, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        long checksum = 0;
        for (long i = 0; i < n; i++) checksum += p[i] * (i % 7 + 1);
        printf("n %ld\n", n);
        printf("p[n/3] %ld\n", p[n / 3]);
        printf("p[n/2] %ld\n", p[n / 2]);
        printf("p[n-1] %ld\n", p[n - 1]);
        printf("checksum %ld\n", checksum);
    }
    free(a);
    free(p);
    free(mine);
    free(counts);
    free(displs);
    MPI_Finalize();
    return 0;
}
