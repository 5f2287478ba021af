/* MPI AXPY: rank 0 generates x and y and scatters contiguous blocks (counts and displacements, so n
 * need not divide by the number of ranks); every rank applies all repetitions to its own block with no
 * communication, and the blocks of y are gathered back to rank 0, which prints the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <mpi.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 4) {
        if (rank == 0) fprintf(stderr, "usage: %s N REPETITIONS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = atol(argv[1]);
    int repetitions = atoi(argv[2]);
    if (n < 1 || n > 2147483647L || repetitions < 0) {
        if (rank == 0) fprintf(stderr, "N must be in 1..2^31-1 and REPETITIONS not negative\n");
        MPI_Finalize();
        return 1;
    }
    const double a = 0.75;

    /* block distribution: the first n % size ranks get one element more */
    int *counts = malloc(sizeof(int) * size);
    int *displs = malloc(sizeof(int) * size);
    for (int r = 0, offset = 0; r < size; r++) {
        counts[r] = (int)(n / size + (r < n % size ? 1 : 0));
        displs[r] = offset;
        offset += counts[r];
    }
    int local = counts[rank];

    double *x = NULL, *y = NULL;
    if (rank == 0) {
        state = strtoull(argv[3], NULL, 10);
        x = malloc(sizeof(double) * n);
        y = malloc(sizeof(double) * n);
        if (!x || !y) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (long i = 0; i < n; i++) x[i] = next_value();
        for (long i = 0; i < n; i++) y[i] = next_value();
    }
    double *xl = malloc(sizeof(double) * (local > 0 ? local : 1));
    double *yl = malloc(sizeof(double) * (local > 0 ? local : 1));
    if (!xl || !yl) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Scatterv(x, counts, displs, MPI_DOUBLE, xl, local, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    MPI_Scatterv(y, counts, displs, MPI_DOUBLE, yl, local, MPI_DOUBLE, 0, MPI_COMM_WORLD);

    for (int r = 0; r < repetitions; r++)
        for (int i = 0; i < local; i++)
            yl[i] = a * xl[i] + yl[i];

    MPI_Gatherv(yl, local, MPI_DOUBLE, y, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        double sum = 0.0, sum_abs = 0.0;
        for (long i = 0; i < n; i++) {
            sum += y[i];
            sum_abs += fabs(y[i]);
        }
        printf("n %ld repetitions %d a %.2f\n", n, repetitions, a);
        printf("sum %.10e\n", sum);
        printf("sum-abs %.10e\n", sum_abs);
        printf("y[0] %.10e\n", y[0]);
        printf("y[n/3] %.10e\n", y[n / 3]);
        printf("y[n-1] %.10e\n", y[n - 1]);
        free(x);
        free(y);
    }
    free(xl);
    free(yl);
    free(counts);
    free(displs);
    MPI_Finalize();
    return 0;
}
