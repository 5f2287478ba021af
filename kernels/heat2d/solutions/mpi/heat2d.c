/* MPI Jacobi heat transfer: the n grid rows are split into contiguous blocks (the first n % size ranks
 * get one row more; ranks beyond n get none and sit out in a split communicator). Each rank keeps
 * its rows plus one halo row above and below; before every sweep it exchanges its edge rows with its
 * neighbours (MPI_Sendrecv, MPI_PROC_NULL at the plate's top and bottom) and then updates the
 * interior points it owns. The rows are gathered to rank 0 at the end, which sums the plate in the
 * sequential order, so the output is identical at any rank count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int world_rank, world_size;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    if (argc != 3) {
        if (world_rank == 0) fprintf(stderr, "usage: %s N ITERATIONS\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    if (n < 1) {
        if (world_rank == 0) fprintf(stderr, "N must be positive\n");
        MPI_Finalize();
        return 1;
    }

    int my_rows = n / world_size + (world_rank < n % world_size ? 1 : 0);
    MPI_Comm comm;
    MPI_Comm_split(MPI_COMM_WORLD, my_rows > 0 ? 0 : MPI_UNDEFINED, world_rank, &comm);
    if (comm == MPI_COMM_NULL) {
        MPI_Finalize();
        return 0;
    }
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int *counts = malloc(sizeof(int) * size);
    int *displs = malloc(sizeof(int) * size);
    for (int r = 0, offset = 0; r < size; r++) {
        counts[r] = n / size + (r < n % size ? 1 : 0);
        displs[r] = offset;
        offset += counts[r];
    }
    int rows = counts[rank], first = displs[rank];
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;

    /* local arrays: row 0 and row rows + 1 are halos; local row l is global row first + l - 1 */
    double *u = calloc((size_t)(rows + 2) * n, sizeof(double));
    double *v = calloc((size_t)(rows + 2) * n, sizeof(double));
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (first == 0)
        for (int j = 0; j < n; j++) u[(size_t)1 * n + j] = v[(size_t)1 * n + j] = 100.0;

    /* the local rows this rank updates: those of global rows 1 .. n-2 (the plate's edges stay fixed) */
    int lo = first == 0 ? 2 : 1;
    int hi = n - 1 - first < rows ? n - 1 - first : rows;

    for (int it = 0; it < iterations; it++) {
        MPI_Sendrecv(u + (size_t)1 * n, n, MPI_DOUBLE, up, 0, u + (size_t)(rows + 1) * n, n, MPI_DOUBLE, down, 0,
                     comm, MPI_STATUS_IGNORE);
        MPI_Sendrecv(u + (size_t)rows * n, n, MPI_DOUBLE, down, 1, u, n, MPI_DOUBLE, up, 1, comm,
                     MPI_STATUS_IGNORE);
        for (int l = lo; l <= hi; l++)
            for (int j = 1; j < n - 1; j++)
                v[(size_t)l * n + j] = 0.25 * (u[(size_t)(l - 1) * n + j] + u[(size_t)(l + 1) * n + j] +
                                               u[(size_t)l * n + j - 1] + u[(size_t)l * n + j + 1]);
        double *t = u; u = v; v = t;
    }

    MPI_Datatype row_type;
    MPI_Type_contiguous(n, MPI_DOUBLE, &row_type);
    MPI_Type_commit(&row_type);
    double *all = NULL;
    if (rank == 0) {
        all = malloc(sizeof(double) * n * n);
        if (!all) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    MPI_Gatherv(u + n, rows, row_type, all, counts, displs, row_type, 0, comm);
    MPI_Type_free(&row_type);

    if (rank == 0) {
        double total = 0.0;
        for (long i = 0; i < (long)n * n; i++) total += all[i];
        printf("n %d iterations %d\n", n, iterations);
        printf("total %.10e\n", total);
        printf("centre %.10e\n", all[(size_t)(n / 2) * n + n / 2]);
        printf("near-top %.10e\n", all[(size_t)1 * n + n / 2]);
        free(all);
    }
    free(u);
    free(v);
    free(counts);
    free(displs);
    MPI_Comm_free(&comm);
    MPI_Finalize();
    return 0;
}
