/* MPI sum and dot product: partial sums all-reduced, then every rank reports. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((long)((state >> 33) % 100) - 40);
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
    double *x = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n);
    if (!x || !y) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    /* every rank draws the same sequence and keeps it all; each works on its own block */
    for (long i = 0; i < n; i++) x[i] = next_value();
    for (long i = 0; i < n; i++) y[i] = next_value();
    long lo = n * rank / size, hi = n * (rank + 1) / size;
    double local[2] = {0.0, 0.0}, global[2] = {0.0, 0.0};
    for (long i = lo; i < hi; i++) {
        local[0] += x[i];
        local[1] += x[i] * y[i];
    }
    MPI_Allreduce(local, global, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    printf("n %ld\n", n);
    printf("sum %.1f\n", global[0]);
    printf("dot %.1f\n", global[1]);

    free(x);
    free(y);
    MPI_Finalize();
    return 0;
}
