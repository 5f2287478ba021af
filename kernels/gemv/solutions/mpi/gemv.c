/* MPI GEMV power iteration: A is distributed by blocks of whole rows (a derived row type, counts and
 * displacements, so n need not divide by the number of ranks). Each rank keeps the full vector x,
 * computes its rows of y = A x, the global max |y_i| comes from an Allreduce (MAX is exact), and the
 * normalised blocks are reassembled on every rank with an Allgatherv. Rank 0 prints. */
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
        if (rank == 0) fprintf(stderr, "usage: %s N ITERATIONS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    if (n < 1 || iterations < 1) {
        if (rank == 0) fprintf(stderr, "N and ITERATIONS must be positive\n");
        MPI_Finalize();
        return 1;
    }

    /* block of rows per rank: the first n % size ranks get one row more */
    int *counts = malloc(sizeof(int) * size);
    int *displs = malloc(sizeof(int) * size);
    for (int r = 0, offset = 0; r < size; r++) {
        counts[r] = n / size + (r < n % size ? 1 : 0);
        displs[r] = offset;
        offset += counts[r];
    }
    int rows = counts[rank], first = displs[rank];

    double *a = NULL;
    double *x = malloc(sizeof(double) * n);
    double *al = malloc(sizeof(double) * (size_t)(rows > 0 ? rows : 1) * n);
    double *yl = malloc(sizeof(double) * (rows > 0 ? rows : 1));
    if (!x || !al || !yl) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0) {
        state = strtoull(argv[3], NULL, 10);
        a = malloc(sizeof(double) * n * n);
        if (!a) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (long i = 0; i < (long)n * n; i++) a[i] = next_value();
        for (int i = 0; i < n; i++) x[i] = next_value();
    }
    MPI_Datatype row_type;
    MPI_Type_contiguous(n, MPI_DOUBLE, &row_type);
    MPI_Type_commit(&row_type);
    MPI_Scatterv(a, counts, displs, row_type, al, rows, row_type, 0, MPI_COMM_WORLD);
    MPI_Type_free(&row_type);
    MPI_Bcast(x, n, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) free(a);

    double scale = 0.0;
    for (int it = 0; it < iterations; it++) {
        double m = 0.0;
        for (int i = 0; i < rows; i++) {
            const double *row = al + (size_t)i * n;
            double s = 0.0;
            for (int j = 0; j < n; j++) s += row[j] * x[j];
            yl[i] = s;
            if (fabs(s) > m) m = fabs(s);
        }
        MPI_Allreduce(&m, &scale, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        for (int i = 0; i < rows; i++) x[first + i] = yl[i] / scale;
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, x, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    }

    if (rank == 0) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) sum += x[i];
        printf("n %d iterations %d\n", n, iterations);
        printf("scale %.10e\n", scale);
        printf("sum-x %.10e\n", sum);
        printf("x[0] %.10e\n", x[0]);
        printf("x[n/2] %.10e\n", x[n / 2]);
        printf("x[n-1] %.10e\n", x[n - 1]);
    }
    free(x);
    free(al);
    free(yl);
    free(counts);
    free(displs);
    MPI_Finalize();
    return 0;
}
