/* MPI conjugate gradient: the m grid rows are split into contiguous blocks (counts and displacements,
 * so m need not divide by the number of ranks; ranks beyond m get no rows and sit out in a split
 * communicator). Rank 0 generates the coefficient field and b and scatters the blocks. Each rank
 * assembles its rows of the CSR matrix with column indices into its local vector extended by one
 * halo grid row above and below; the only neighbour communication is the halo exchange of the search
 * direction before each product (and once of the coefficient field), and each dot product is a
 * local sum plus an Allreduce, whose result every rank shares, so all ranks stop together. */
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

/* v holds rows + 2 grid rows of width m: halo, own rows, halo */
static void exchange_halo(double *v, int rows, int m, int up, int down, MPI_Comm comm)
{
    MPI_Sendrecv(v + m, m, MPI_DOUBLE, up, 0, v + (size_t)(rows + 1) * m, m, MPI_DOUBLE, down, 0, comm,
                 MPI_STATUS_IGNORE);
    MPI_Sendrecv(v + (size_t)rows * m, m, MPI_DOUBLE, down, 1, v, m, MPI_DOUBLE, up, 1, comm,
                 MPI_STATUS_IGNORE);
}

static double global_sum(double local, MPI_Comm comm)
{
    double global;
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_SUM, comm);
    return global;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int world_rank, world_size;
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    if (argc != 4) {
        if (world_rank == 0) fprintf(stderr, "usage: %s M MAX_ITERATIONS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    int m = atoi(argv[1]);
    int max_iterations = atoi(argv[2]);
    if (m < 1 || m > 46340 || max_iterations < 0) {
        if (world_rank == 0) fprintf(stderr, "M must be in 1..46340 and MAX_ITERATIONS not negative\n");
        MPI_Finalize();
        return 1;
    }
    const double tolerance = 1.0e-8, reaction = 0.1;
    long n = (long)m * m;

    /* grid rows per rank: the first m % size ranks get one more; ranks without rows leave */
    int my_rows = m / world_size + (world_rank < m % world_size ? 1 : 0);
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
        counts[r] = m / size + (r < m % size ? 1 : 0);
        displs[r] = offset;
        offset += counts[r];
    }
    int rows = counts[rank], first_row = displs[rank];
    int up = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;
    long local_n = (long)rows * m, ext_n = (long)(rows + 2) * m;

    MPI_Datatype grid_row;
    MPI_Type_contiguous(m, MPI_DOUBLE, &grid_row);
    MPI_Type_commit(&grid_row);

    double *c_ext = malloc(sizeof(double) * ext_n);
    double *b = malloc(sizeof(double) * local_n);
    double *c_all = NULL, *b_all = NULL, *x_all = NULL;
    if (!c_ext || !b) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0) {
        state = strtoull(argv[3], NULL, 10);
        c_all = malloc(sizeof(double) * n);
        b_all = malloc(sizeof(double) * n);
        x_all = malloc(sizeof(double) * n);
        if (!c_all || !b_all || !x_all) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (long k = 0; k < n; k++) c_all[k] = 1.0 + (double)(next_raw() % 1000) / 1000.0;
        for (long k = 0; k < n; k++) b_all[k] = (double)(next_raw() % 1000) / 100.0 - 5.0;
    }
    MPI_Scatterv(c_all, counts, displs, grid_row, c_ext + m, rows, grid_row, 0, comm);
    MPI_Scatterv(b_all, counts, displs, grid_row, b, rows, grid_row, 0, comm);
    if (rank == 0) {
        free(c_all);
        free(b_all);
    }
    exchange_halo(c_ext, rows, m, up, down, comm);

    /* local CSR rows; a column is an index into the extended vector (halo row above at 0..m-1) */
    long *row_start = malloc(sizeof(long) * (local_n + 1));
    int *col = malloc(sizeof(int) * 5 * local_n);
    double *val = malloc(sizeof(double) * 5 * local_n);
    double *x = malloc(sizeof(double) * local_n);
    double *r = malloc(sizeof(double) * local_n);
    double *q = malloc(sizeof(double) * local_n);
    double *p_ext = calloc(ext_n, sizeof(double));
    if (!row_start || !col || !val || !x || !r || !q || !p_ext) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    long nnz = 0;
    for (int li = 0; li < rows; li++) {
        int i = first_row + li;
        for (int j = 0; j < m; j++) {
            long k = (long)li * m + j, e = k + m;
            row_start[k] = nnz;
            double wn = i > 0 ? 0.5 * (c_ext[e] + c_ext[e - m]) : c_ext[e];
            double ww = j > 0 ? 0.5 * (c_ext[e] + c_ext[e - 1]) : c_ext[e];
            double we = j < m - 1 ? 0.5 * (c_ext[e] + c_ext[e + 1]) : c_ext[e];
            double ws = i < m - 1 ? 0.5 * (c_ext[e] + c_ext[e + m]) : c_ext[e];
            if (i > 0) { col[nnz] = (int)(e - m); val[nnz++] = -wn; }
            if (j > 0) { col[nnz] = (int)(e - 1); val[nnz++] = -ww; }
            col[nnz] = (int)e; val[nnz++] = reaction + wn + ww + we + ws;
            if (j < m - 1) { col[nnz] = (int)(e + 1); val[nnz++] = -we; }
            if (i < m - 1) { col[nnz] = (int)(e + m); val[nnz++] = -ws; }
        }
    }
    row_start[local_n] = nnz;
    free(c_ext);
    long total_nnz;
    MPI_Reduce(&nnz, &total_nnz, 1, MPI_LONG, MPI_SUM, 0, comm);

    double *p = p_ext + m; /* own part of the search direction */
    double local_rr = 0.0;
    for (long k = 0; k < local_n; k++) {
        x[k] = 0.0;
        r[k] = b[k];
        p[k] = b[k];
        local_rr += r[k] * r[k];
    }
    double rr = global_sum(local_rr, comm);
    double b_norm = sqrt(rr);
    int iterations = 0;
    while (iterations < max_iterations && sqrt(rr) > tolerance * b_norm) {
        exchange_halo(p_ext, rows, m, up, down, comm);
        double local_pq = 0.0;
        for (long k = 0; k < local_n; k++) {
            double s = 0.0;
            for (long e = row_start[k]; e < row_start[k + 1]; e++) s += val[e] * p_ext[col[e]];
            q[k] = s;
            local_pq += p[k] * s;
        }
        double alpha = rr / global_sum(local_pq, comm);
        double local_rr_new = 0.0;
        for (long k = 0; k < local_n; k++) {
            x[k] += alpha * p[k];
            r[k] -= alpha * q[k];
            local_rr_new += r[k] * r[k];
        }
        double rr_new = global_sum(local_rr_new, comm);
        double beta = rr_new / rr;
        rr = rr_new;
        for (long k = 0; k < local_n; k++) p[k] = r[k] + beta * p[k];
        iterations++;
    }

    MPI_Gatherv(x, rows, grid_row, x_all, counts, displs, grid_row, 0, comm);
    if (rank == 0) {
        double sum = 0.0;
        for (long k = 0; k < n; k++) sum += x_all[k];
        printf("m %d unknowns %ld nonzeros %ld\n", m, n, total_nnz);
        printf("iterations %d\n", iterations);
        printf("relative-residual %.10e\n", sqrt(rr) / b_norm);
        printf("sum-x %.10e\n", sum);
        printf("x[0] %.10e\n", x_all[0]);
        printf("x[n/2+m/2] %.10e\n", x_all[n / 2 + m / 2]);
        printf("x[n-1] %.10e\n", x_all[n - 1]);
        free(x_all);
    }
    MPI_Type_free(&grid_row);
    free(b);
    free(row_start);
    free(col);
    free(val);
    free(x);
    free(r);
    free(q);
    free(p_ext);
    free(counts);
    free(displs);
    MPI_Comm_free(&comm);
    MPI_Finalize();
    return 0;
}
