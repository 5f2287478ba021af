/* MPI Jacobi: rank 0 generates the system and scatters blocks of whole rows of A and the matching
 * entries of b (a derived row type with counts and displacements, so n need not divide by the number
 * of ranks). Every rank keeps the full iterate x, computes its rows of the new iterate, and an
 * Allgatherv assembles the new x everywhere before the next sweep. The largest change of the last
 * sweep and the residual sums are reduced to rank 0, which prints. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <mpi.h>

static unsigned long long state;

static unsigned long long next_raw(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
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
    if (n < 2 || iterations < 1) {
        if (rank == 0) fprintf(stderr, "N must be at least 2 and ITERATIONS positive\n");
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

    double *a = NULL, *b = NULL;
    double *al = malloc(sizeof(double) * (size_t)(rows > 0 ? rows : 1) * n);
    double *bl = malloc(sizeof(double) * (rows > 0 ? rows : 1));
    double *x = malloc(sizeof(double) * n);
    double *x_new = malloc(sizeof(double) * n);
    if (!al || !bl || !x || !x_new) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0) {
        state = strtoull(argv[3], NULL, 10);
        a = malloc(sizeof(double) * n * n);
        b = malloc(sizeof(double) * n);
        if (!a || !b) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (int i = 0; i < n; i++) {
            double row_sum = 0.0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                a[(long)i * n + j] = (double)(next_raw() % 1000) / 1000.0;
                row_sum += a[(long)i * n + j];
            }
            a[(long)i * n + i] = 1.02 * row_sum;
        }
        for (int i = 0; i < n; i++) b[i] = (double)(next_raw() % 1000) / 100.0 - 5.0;
    }
    MPI_Datatype row_type;
    MPI_Type_contiguous(n, MPI_DOUBLE, &row_type);
    MPI_Type_commit(&row_type);
    MPI_Scatterv(a, counts, displs, row_type, al, rows, row_type, 0, MPI_COMM_WORLD);
    MPI_Type_free(&row_type);
    MPI_Scatterv(b, counts, displs, MPI_DOUBLE, bl, rows, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        free(a);
        free(b);
    }
    for (int i = 0; i < n; i++) x[i] = 0.0;

    double local_change = 0.0;
    for (int it = 0; it < iterations; it++) {
        local_change = 0.0;
        for (int l = 0; l < rows; l++) {
            int i = first + l;
            const double *row = al + (size_t)l * n;
            double s = 0.0;
            for (int j = 0; j < i; j++) s += row[j] * x[j];
            for (int j = i + 1; j < n; j++) s += row[j] * x[j];
            x_new[i] = (bl[l] - s) / row[i];
            double change = fabs(x_new[i] - x[i]);
            if (change > local_change) local_change = change;
        }
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, x_new, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
        double *t = x; x = x_new; x_new = t;
    }

    /* residual of the local rows; the checksum of x is summed on rank 0, which holds all of x */
    double local[2] = {0.0, 0.0}, global[2];
    for (int l = 0; l < rows; l++) {
        const double *row = al + (size_t)l * n;
        double s = 0.0;
        for (int j = 0; j < n; j++) s += row[j] * x[j];
        local[0] += (bl[l] - s) * (bl[l] - s);
        local[1] += bl[l] * bl[l];
    }
    double max_change;
    MPI_Reduce(local, global, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&local_change, &max_change, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) sum += x[i];
        printf("n %d iterations %d\n", n, iterations);
        printf("residual %.10e\n", sqrt(global[0] / global[1]));
        printf("max-change %.10e\n", max_change);
        printf("sum-x %.10e\n", sum);
        printf("x[0] %.10e\n", x[0]);
        printf("x[n/2] %.10e\n", x[n / 2]);
        printf("x[n-1] %.10e\n", x[n - 1]);
    }
    free(al);
    free(bl);
    free(x);
    free(x_new);
    free(counts);
    free(displs);
    MPI_Finalize();
    return 0;
}
