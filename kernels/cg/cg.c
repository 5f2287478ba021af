/* Conjugate gradient for a sparse symmetric positive definite system A x = b: A is the 5-point
 * finite-difference matrix of 0.1 u - div(c grad u) (a diffusion-reaction operator, as in an implicit
 * time step) on an m x m grid with zero Dirichlet boundaries and a seeded coefficient c in [1, 2) per
 * grid point (an edge weighs the mean of its two end points, a boundary edge the point's own c),
 * stored in CSR. b is seeded, x starts at 0, and CG runs until ||r|| <= 1e-8 ||b|| or
 * MAX_ITERATIONS iterations (about a hundred are needed at any grid size).
 * Usage: cg M MAX_ITERATIONS SEED. Prints the iterations done, the relative residual, a checksum and
 * a few entries of x. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

static unsigned long long state;

static unsigned long long next_raw(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s M MAX_ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int m = atoi(argv[1]);
    int max_iterations = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (m < 1 || m > 46340 || max_iterations < 0) {
        fprintf(stderr, "M must be in 1..46340 and MAX_ITERATIONS not negative\n");
        return 1;
    }
    const double tolerance = 1.0e-8, reaction = 0.1;
    long n = (long)m * m;
    double *c = malloc(sizeof(double) * n);
    double *b = malloc(sizeof(double) * n);
    long *row_start = malloc(sizeof(long) * (n + 1));
    int *col = malloc(sizeof(int) * 5 * n);
    double *val = malloc(sizeof(double) * 5 * n);
    double *x = malloc(sizeof(double) * n);
    double *r = malloc(sizeof(double) * n);
    double *p = malloc(sizeof(double) * n);
    double *q = malloc(sizeof(double) * n);
    if (!c || !b || !row_start || !col || !val || !x || !r || !p || !q) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long k = 0; k < n; k++) c[k] = 1.0 + (double)(next_raw() % 1000) / 1000.0;
    for (long k = 0; k < n; k++) b[k] = (double)(next_raw() % 1000) / 100.0 - 5.0;

    /* CSR rows in grid order, columns ascending: north, west, centre, east, south */
    long nnz = 0;
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
            long k = (long)i * m + j;
            row_start[k] = nnz;
            double wn = i > 0 ? 0.5 * (c[k] + c[k - m]) : c[k];
            double ww = j > 0 ? 0.5 * (c[k] + c[k - 1]) : c[k];
            double we = j < m - 1 ? 0.5 * (c[k] + c[k + 1]) : c[k];
            double ws = i < m - 1 ? 0.5 * (c[k] + c[k + m]) : c[k];
            if (i > 0) { col[nnz] = k - m; val[nnz++] = -wn; }
            if (j > 0) { col[nnz] = k - 1; val[nnz++] = -ww; }
            col[nnz] = k; val[nnz++] = reaction + wn + ww + we + ws;
            if (j < m - 1) { col[nnz] = k + 1; val[nnz++] = -we; }
            if (i < m - 1) { col[nnz] = k + m; val[nnz++] = -ws; }
        }
    }
    row_start[n] = nnz;

    double rr = 0.0;
    for (long k = 0; k < n; k++) {
        x[k] = 0.0;
        r[k] = b[k];
        p[k] = b[k];
        rr += r[k] * r[k];
    }
    double b_norm = sqrt(rr);
    int iterations = 0;
    while (iterations < max_iterations && sqrt(rr) > tolerance * b_norm) {
        double pq = 0.0;
        for (long k = 0; k < n; k++) {
            double s = 0.0;
            for (long e = row_start[k]; e < row_start[k + 1]; e++) s += val[e] * p[col[e]];
            q[k] = s;
            pq += p[k] * s;
        }
        double alpha = rr / pq;
        double rr_new = 0.0;
        for (long k = 0; k < n; k++) {
            x[k] += alpha * p[k];
            r[k] -= alpha * q[k];
            rr_new += r[k] * r[k];
        }
        double beta = rr_new / rr;
        rr = rr_new;
        for (long k = 0; k < n; k++) p[k] = r[k] + beta * p[k];
        iterations++;
    }

    double sum = 0.0;
    for (long k = 0; k < n; k++) sum += x[k];
    printf("m %d unknowns %ld nonzeros %ld\n", m, n, nnz);
    printf("iterations %d\n", iterations);
    printf("relative-residual %.10e\n", sqrt(rr) / b_norm);
    printf("sum-x %.10e\n", sum);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2+m/2] %.10e\n", x[n / 2 + m / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    free(c);
    free(b);
    free(row_start);
    free(col);
    free(val);
    free(x);
    free(r);
    free(p);
    free(q);
    return 0;
}
