/* MPI 3-D explicit heat diffusion: slab decomposition along the first axis. The n-1 interior planes
 * are split into contiguous blocks over P = min(ranks, n-1) ranks (uneven counts allowed; spare ranks
 * idle); each rank keeps its planes plus one ghost plane on each side and swaps boundary planes with
 * its neighbours (MPI_Sendrecv) before every step. The total and maximum are reduced to rank 0 and
 * each probe is sent by the rank that owns its plane. Rank 0 prints. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <mpi.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 6) {
        if (rank == 0) fprintf(stderr, "usage: %s DT H L T_END U_HOT\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    double dt = atof(argv[1]);
    double h = atof(argv[2]);
    double len = atof(argv[3]);
    double t_end = atof(argv[4]);
    double u_hot = atof(argv[5]);
    int n = (dt > 0.0 && h > 0.0 && len > 0.0) ? (int)lround(len / h) : 0;
    long steps = lround(t_end / dt);
    double r = dt / (h * h);
    if (dt <= 0.0 || h <= 0.0 || len <= 0.0 || t_end < 0.0 || n < 2 || r > 1.0 / 6.0 + 1e-12) {
        if (rank == 0) fprintf(stderr, "invalid or unstable parameters (need DT, H, L > 0, >= 2 intervals, DT/H^2 <= 1/6)\n");
        MPI_Finalize();
        return 1;
    }
    int m = n + 1;
    size_t plane = (size_t)m * m;

    /* Interior planes 1..n-1 over the first P ranks: rank p owns global planes [lo, hi). */
    int active = size < n - 1 ? size : n - 1;
    int lo = 1, hi = 1;
    if (rank < active) {
        lo = 1 + (int)((long long)(n - 1) * rank / active);
        hi = 1 + (int)((long long)(n - 1) * (rank + 1) / active);
    }
    int mine = hi - lo;
    /* local plane l (0..mine+1) is global plane lo-1+l; 0 and mine+1 are ghosts */
    double *u = NULL, *v = NULL;
    if (mine > 0) {
        u = malloc(plane * (mine + 2) * sizeof(double));
        v = malloc(plane * (mine + 2) * sizeof(double));
        if (!u || !v) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (int l = 0; l < mine + 2; l++) {
            int i = lo - 1 + l;
            for (size_t c = 0; c < plane; c++) {
                int j = (int)(c / m), k = (int)(c % m);
                int hot = i >= n / 4 && i <= n / 2 && j >= n / 4 && j <= 3 * n / 4 && k >= n / 2 && k <= 3 * n / 4;
                u[l * plane + c] = hot ? u_hot : 0.0;
                v[l * plane + c] = 0.0;
            }
        }
    }
    int up = (mine > 0 && rank > 0) ? rank - 1 : MPI_PROC_NULL;
    int down = (mine > 0 && rank < active - 1) ? rank + 1 : MPI_PROC_NULL;

    for (long s = 0; s < steps && mine > 0; s++) {
        /* halo exchange: send first owned plane up, receive lower ghost from below, and vice versa */
        MPI_Sendrecv(u + plane, (int)plane, MPI_DOUBLE, up, 0,
                     u + (size_t)(mine + 1) * plane, (int)plane, MPI_DOUBLE, down, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Sendrecv(u + (size_t)mine * plane, (int)plane, MPI_DOUBLE, down, 1,
                     u, (int)plane, MPI_DOUBLE, up, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        for (int l = 1; l <= mine; l++)
            for (int j = 1; j < n; j++) {
                const double *uc = u + l * plane + (size_t)j * m;
                double *vc = v + l * plane + (size_t)j * m;
                for (int k = 1; k < n; k++)
                    vc[k] = uc[k] + r * (uc[k - plane] + uc[k + plane] + uc[k - m] + uc[k + m] + uc[k - 1] + uc[k + 1] - 6.0 * uc[k]);
            }
        double *t = u; u = v; v = t;
    }

    /* Boundary planes 0 and n are zero, so the owned interior planes carry all the heat. */
    double part[2] = {0.0, 0.0}, whole[2];
    for (int l = 1; l <= mine; l++)
        for (size_t c = 0; c < plane; c++) {
            double x = u[l * plane + c];
            part[0] += x;
            if (x > part[1]) part[1] = x;
        }
    MPI_Reduce(&part[0], &whole[0], 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&part[1], &whole[1], 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

    int probe[4][3] = {{n / 2, n / 2, n / 2}, {n / 4, n / 3, 2 * n / 3}, {3 * n / 4, n / 5, n / 2}, {1, n - 1, n / 2}};
    double value[4];
    for (int p = 0; p < 4; p++) {
        int i = probe[p][0], j = probe[p][1], k = probe[p][2];
        int owner = -1;
        for (int q = 0; q < active; q++) {
            int qlo = 1 + (int)((long long)(n - 1) * q / active), qhi = 1 + (int)((long long)(n - 1) * (q + 1) / active);
            if (i >= qlo && i < qhi) owner = q;
        }
        if (owner < 0) { /* a boundary plane: always 0 */
            value[p] = 0.0;
        } else if (owner == 0) {
            if (rank == 0) value[p] = u[(size_t)(i - lo + 1) * plane + (size_t)j * m + k];
        } else if (rank == owner) {
            double x = u[(size_t)(i - lo + 1) * plane + (size_t)j * m + k];
            MPI_Send(&x, 1, MPI_DOUBLE, 0, 10 + p, MPI_COMM_WORLD);
        } else if (rank == 0) {
            MPI_Recv(&value[p], 1, MPI_DOUBLE, owner, 10 + p, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
    }

    if (rank == 0) {
        printf("nodes %d^3 steps %ld r %.6f\n", m, steps, r);
        printf("total_heat %.10e\n", whole[0] * h * h * h);
        printf("max %.10e\n", whole[1]);
        for (int p = 0; p < 4; p++)
            printf("u[%d][%d][%d] %.10e\n", probe[p][0], probe[p][1], probe[p][2], value[p]);
    }
    free(u);
    free(v);
    MPI_Finalize();
    return 0;
}
