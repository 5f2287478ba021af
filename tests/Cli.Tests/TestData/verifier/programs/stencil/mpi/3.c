/* MPI stencil: block distribution, ghost cells exchanged with MPI_Sendrecv each step. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 100);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 4) {
        if (rank == 0) fprintf(stderr, "usage: %s N STEPS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = atol(argv[1]);
    int steps = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || n > 100000000L || steps < 0) {
        if (rank == 0) fprintf(stderr, "N must be in 1..10^8 and STEPS not negative\n");
        MPI_Finalize();
        return 1;
    }
    /* every rank draws the whole initial field and keeps its block plus one ghost cell per side */
    double *field = malloc(sizeof(double) * n);
    for (long i = 0; i < n; i++) field[i] = next_value();
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size);
    /* the first n % size ranks get one cell more; ranks past the cells, if any, hold none and are all at the end */
    for (int r = 0, offset = 0; r < size; r++) {
        counts[r] = (int)(n / size + (r < n % size ? 1 : 0));
        displs[r] = offset;
        offset += counts[r];
    }
    long lo = displs[rank];
    int mine = counts[rank];
    double *u = malloc(sizeof(double) * (mine + 2)), *v = malloc(sizeof(double) * (mine + 2));
    for (int k = 0; k < mine + 2; k++) {
        long i = lo - 1 + k;
        u[k] = v[k] = (i >= 0 && i < n) ? field[i] : 0.0;
    }
    int left = rank > 0 ? rank - 1 : MPI_PROC_NULL, right = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    for (int s = 0; s < steps; s++) {
        MPI_Sendrecv(&u[mine + 1], 1, MPI_DOUBLE, right, 0, &u[0], 1, MPI_DOUBLE, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Sendrecv(&u[0], 1, MPI_DOUBLE, left, 1, &u[mine + 1], 1, MPI_DOUBLE, right, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        for (int k = 1; k <= mine; k++) {
            long i = lo - 1 + k;
            v[k] = (i > 0 && i < n - 1) ? u[k] + 0.25 * (u[k - 1] - 2.0 * u[k] + u[k + 1]) : u[k];
        }
        double *t = u; u = v; v = t;
    }

    MPI_Gatherv(u + 1, mine, MPI_DOUBLE, field, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        double total = 0.0, weighted = 0.0;
        for (long i = 0; i < n; i++) {
            total += field[i];
            weighted += (double)(i + 1) * field[i];
        }
        printf("n %ld steps %d\n", n, steps);
        printf("total %.10e\n", total);
        printf("weighted %.10e\n", weighted);
        printf("u[n/3] %.10e\n", field[n / 3]);
        printf("u[n/2] %.10e\n", field[n / 2]);
        printf("u[n-1-n/3] %.10e\n", field[n - 1 - n / 3]);
    }
    free(field);
    free(counts);
    free(displs);
    free(u);
    free(v);
    MPI_Finalize();
    return 0;
}
