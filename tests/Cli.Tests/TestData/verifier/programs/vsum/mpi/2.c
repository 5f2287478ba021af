/* MPI sum and dot product: rank 0 scatters uneven blocks (Scatterv), partial sums reduced. */
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
    double *x = NULL, *y = NULL;
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size);
    for (int r = 0; r < size; r++) {
        displs[r] = (int)(n * r / size);
        counts[r] = (int)(n * (r + 1) / size) - displs[r];
    }
    if (rank == 0) {
        x = malloc(sizeof(double) * n);
        y = malloc(sizeof(double) * n);
        for (long i = 0; i < n; i++) x[i] = next_value();
        for (long i = 0; i < n; i++) y[i] = next_value();
    }
    int mine = counts[rank];
    double *xl = malloc(sizeof(double) * (mine > 0 ? mine : 1));
    double *yl = malloc(sizeof(double) * (mine > 0 ? mine : 1));
    MPI_Scatterv(x, counts, displs, MPI_DOUBLE, xl, mine, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    MPI_Scatterv(y, counts, displs, MPI_DOUBLE, yl, mine, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    double local[2] = {0.0, 0.0}, global[2] = {0.0, 0.0};
    for (int i = 0; i < mine; i++) {
        local[0] += xl[i];
        local[1] += xl[i] * yl[i];
    }
    MPI_Reduce(local, global, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        printf("n %ld\n", n);
        printf("sum %.1f\n", global[0]);
        printf("dot %.1f\n", global[1]);
    }

    free(xl);
    free(yl);
    free(counts);
    free(displs);
    free(x);
    free(y);
    MPI_Finalize();
    return 0;
}
