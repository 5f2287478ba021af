/* MPI GEMM: rank 0 generates A and B, scatters blocks of whole rows of A (a derived row type with
 * counts and displacements, so n need not divide by the number of ranks) and broadcasts B. Each rank
 * computes its rows of C in i-k-j order, and the rows are gathered back to rank 0, which forms the
 * checksum in the sequential order, so the output is identical at any rank count. */
#include <stdio.h>
#include <stdlib.h>
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
    if (argc != 3) {
        if (rank == 0) fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    int n = atoi(argv[1]);
    if (n < 1) {
        if (rank == 0) fprintf(stderr, "N must be positive\n");
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
    int rows = counts[rank];

    double *a = NULL, *c = NULL;
    double *b = malloc(sizeof(double) * n * n);
    double *al = malloc(sizeof(double) * (size_t)(rows > 0 ? rows : 1) * n);
    double *cl = malloc(sizeof(double) * (size_t)(rows > 0 ? rows : 1) * n);
    if (!b || !al || !cl) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0) {
        state = strtoull(argv[2], NULL, 10);
        a = malloc(sizeof(double) * n * n);
        c = malloc(sizeof(double) * n * n);
        if (!a || !c) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (int i = 0; i < n * n; i++) a[i] = next_value();
        for (int i = 0; i < n * n; i++) b[i] = next_value();
    }
    MPI_Datatype row_type;
    MPI_Type_contiguous(n, MPI_DOUBLE, &row_type);
    MPI_Type_commit(&row_type);
    MPI_Scatterv(a, counts, displs, row_type, al, rows, row_type, 0, MPI_COMM_WORLD);
    MPI_Bcast(b, n, row_type, 0, MPI_COMM_WORLD);

    for (int i = 0; i < rows; i++) {
        double *ci = cl + (size_t)i * n;
        for (int j = 0; j < n; j++) ci[j] = 0.0;
        for (int k = 0; k < n; k++) {
            double aik = al[(size_t)i * n + k];
            const double *bk = b + (size_t)k * n;
            for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
        }
    }

    MPI_Gatherv(cl, rows, row_type, c, counts, displs, row_type, 0, MPI_COMM_WORLD);
    MPI_Type_free(&row_type);

    if (rank == 0) {
        double checksum = 0.0;
        for (int i = 0; i < n * n; i++) checksum += c[i];
        printf("n %d\n", n);
        printf("checksum %.10e\n", checksum);
        printf("c[0][0] %.10e\n", c[0]);
        printf("c[n/2][n/3] %.10e\n", c[(n / 2) * n + n / 3]);
        printf("c[n-1][n-1] %.10e\n", c[n * n - 1]);
        free(a);
        free(c);
    }
    free(b);
    free(al);
    free(cl);
    free(counts);
    free(displs);
    MPI_Finalize();
    return 0;
}
