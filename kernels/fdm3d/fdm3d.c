/* Explicit finite-difference solution of the 3-D heat equation u_t = lap(u) (diffusivity 1) in a cube.
 * Usage: fdm3d DT H L T_END U_HOT
 *   DT     time step
 *   H      grid spacing; the cube [0,L]^3 has n = round(L/H) intervals, (n+1)^3 nodes
 *   L      edge length of the cube
 *   T_END  simulated time; round(T_END/DT) steps are taken
 *   U_HOT  initial temperature of an off-centre hot box; everything else starts at 0 and the six
 *          faces are held at 0 (Dirichlet)
 * Each step is the forward-Euler 7-point update u' = u + r (sum of 6 neighbours - 6 u), r = DT/H^2,
 * which is stable for r <= 1/6. Prints the total heat (sum of u times H^3), the maximum, and probes. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s DT H L T_END U_HOT\n", argv[0]);
        return 1;
    }
    double dt = atof(argv[1]);
    double h = atof(argv[2]);
    double len = atof(argv[3]);
    double t_end = atof(argv[4]);
    double u_hot = atof(argv[5]);
    if (dt <= 0.0 || h <= 0.0 || len <= 0.0 || t_end < 0.0) {
        fprintf(stderr, "DT, H and L must be positive, T_END not negative\n");
        return 1;
    }
    int n = (int)lround(len / h);
    long steps = lround(t_end / dt);
    double r = dt / (h * h);
    if (n < 2) {
        fprintf(stderr, "the grid needs at least 2 intervals\n");
        return 1;
    }
    if (r > 1.0 / 6.0 + 1e-12) {
        fprintf(stderr, "unstable: DT/H^2 = %g exceeds 1/6\n", r);
        return 1;
    }
    int m = n + 1; /* nodes per axis */
    size_t plane = (size_t)m * m;
    double *u = calloc(plane * m, sizeof(double));
    double *v = calloc(plane * m, sizeof(double));
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    /* Hot box: x in [n/4, n/2], y in [n/4, 3n/4], z in [n/2, 3n/4] (node indices i, j, k). */
    for (int i = n / 4; i <= n / 2; i++)
        for (int j = n / 4; j <= 3 * n / 4; j++)
            for (int k = n / 2; k <= 3 * n / 4; k++)
                u[i * plane + (size_t)j * m + k] = u_hot;

    for (long s = 0; s < steps; s++) {
        for (int i = 1; i < n; i++)
            for (int j = 1; j < n; j++)
                for (int k = 1; k < n; k++) {
                    size_t c = i * plane + (size_t)j * m + k;
                    v[c] = u[c] + r * (u[c - plane] + u[c + plane] + u[c - m] + u[c + m] + u[c - 1] + u[c + 1] - 6.0 * u[c]);
                }
        double *t = u; u = v; v = t;
    }

    double total = 0.0, maxval = 0.0;
    for (size_t c = 0; c < plane * m; c++) {
        total += u[c];
        if (u[c] > maxval) maxval = u[c];
    }
    printf("nodes %d^3 steps %ld r %.6f\n", m, steps, r);
    printf("total_heat %.10e\n", total * h * h * h);
    printf("max %.10e\n", maxval);
    int probe[4][3] = {{n / 2, n / 2, n / 2}, {n / 4, n / 3, 2 * n / 3}, {3 * n / 4, n / 5, n / 2}, {1, n - 1, n / 2}};
    for (int p = 0; p < 4; p++) {
        int i = probe[p][0], j = probe[p][1], k = probe[p][2];
        printf("u[%d][%d][%d] %.10e\n", i, j, k, u[i * plane + (size_t)j * m + k]);
    }
    free(u);
    free(v);
    return 0;
}
