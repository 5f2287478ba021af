/* OpenMP 3-D explicit heat diffusion: one parallel region for the whole run; each step the (i, j)
 * pencils of the interior are shared among threads (collapse(2), static) and the worksharing loop's
 * implicit barrier separates steps; the two grids alternate roles by step parity, so no swap (and no
 * second barrier) is needed. Every node is updated with
 * the same expression as the sequential code, and the final sums are taken in the same order, so the
 * output is identical at any thread count. */
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <math.h>
#include <omp.h>

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
    int m = n + 1;
    size_t plane = (size_t)m * m;
    double *u = malloc(plane * m * sizeof(double));
    double *v = malloc(plane * m * sizeof(double));
    if (!u || !v) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    #pragma omp parallel
    {
        /* first touch by the threads that will update these planes */
        #pragma omp for schedule(static)
        for (int i = 0; i < m; i++)
            for (size_t c = 0; c < plane; c++) {
                int j = (int)(c / m), k = (int)(c % m);
                int hot = i >= n / 4 && i <= n / 2 && j >= n / 4 && j <= 3 * n / 4 && k >= n / 2 && k <= 3 * n / 4;
                u[i * plane + c] = hot ? u_hot : 0.0;
                v[i * plane + c] = 0.0;
            }

        for (long s = 0; s < steps; s++) {
            /* even steps read u and write v, odd steps the reverse: no shared swap, one barrier a step */
            const double *src = (s & 1) ? v : u;
            double *dst = (s & 1) ? u : v;
            #pragma omp for collapse(2) schedule(static)
            for (int i = 1; i < n; i++)
                for (int j = 1; j < n; j++) {
                    const double *uc = src + i * plane + (size_t)j * m;
                    double *vc = dst + i * plane + (size_t)j * m;
                    for (int k = 1; k < n; k++)
                        vc[k] = uc[k] + r * (uc[k - (ptrdiff_t)plane] + uc[k + plane] + uc[k - m] + uc[k + m] + uc[k - 1] + uc[k + 1] - 6.0 * uc[k]);
                }
        }
    }
    if (steps & 1) {
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
