/* OpenMP maximum-sum increasing subsequence of length K. The levels j = 2..K must run in order, but
 * within a level every f[j][i] depends only on level j-1, so the i loop is shared among threads. The
 * inner loop over q > i shrinks with i, so the schedule is dynamic with small chunks. Counts are
 * unsigned 64-bit (mod 2^64) and the DP is integer, so the output is identical at any thread count;
 * the final scan and the witness rebuild are O(N K) and stay sequential. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

typedef unsigned long long u64;

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N K SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int k = atoi(argv[2]);
    u64 state = strtoull(argv[3], NULL, 10);
    if (n < 1 || k < 1 || k > n) {
        fprintf(stderr, "need 1 <= K <= N\n");
        return 1;
    }
    long long *a = malloc(sizeof(long long) * n);
    long long *f = malloc(sizeof(long long) * (size_t)n * k); /* f[(j-1)*n + i] */
    u64 *all_prev = malloc(sizeof(u64) * n), *all_cur = malloc(sizeof(u64) * n);
    u64 *opt_prev = malloc(sizeof(u64) * n), *opt_cur = malloc(sizeof(u64) * n);
    if (!a || !f || !all_prev || !all_cur || !opt_prev || !opt_cur) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = 1 + (long long)((state >> 33) % 1000);
    }

    for (int i = 0; i < n; i++) {
        f[i] = a[i];
        all_prev[i] = opt_prev[i] = 1;
    }
    #pragma omp parallel
    for (int j = 2; j <= k; j++) {
        const long long *fp = f + (size_t)(j - 2) * n;
        long long *fc = f + (size_t)(j - 1) * n;
        const u64 *ap = all_prev, *op = opt_prev;
        u64 *ac = all_cur, *oc = opt_cur;
        #pragma omp for schedule(dynamic, 32)
        for (int i = 0; i < n; i++) {
            long long ai = a[i], best = 0;
            u64 count_all = 0, count_opt = 0;
            for (int q = i + 1; q < n; q++) {
                if (a[q] > ai) {
                    long long v = fp[q];
                    count_all += ap[q];
                    if (v > best) {
                        best = v;
                        count_opt = op[q];
                    } else if (v == best) {
                        count_opt += op[q];
                    }
                }
            }
            fc[i] = best > 0 ? ai + best : 0;
            ac[i] = count_all;
            oc[i] = best > 0 ? count_opt : 0;
        }
        /* implicit barrier: level j complete; every thread read the pointers above before it */
        #pragma omp single
        {
            u64 *t = all_prev; all_prev = all_cur; all_cur = t;
            t = opt_prev; opt_prev = opt_cur; opt_cur = t;
        }
    }

    /* all_prev / opt_prev now hold level k. */
    const long long *fk = f + (size_t)(k - 1) * n;
    long long best = 0;
    u64 total = 0, optimal = 0, dp_check = 0;
    for (int i = 0; i < n; i++) {
        total += all_prev[i];
        if (fk[i] > best) {
            best = fk[i];
            optimal = opt_prev[i];
        } else if (fk[i] == best && best > 0) {
            optimal += opt_prev[i];
        }
    }
    for (int j = 0; j < k; j++)
        for (int i = 0; i < n; i++)
            dp_check += (u64)f[(size_t)j * n + i] * (u64)((i % 1009) + 1) * (u64)(j + 1);

    printf("n %d k %d\n", n, k);
    printf("dp_checksum %llu\n", dp_check);
    printf("total_increasing_subsequences_mod_2^64 %llu\n", total);
    if (best == 0) {
        printf("max_sum none\n");
    } else {
        printf("max_sum %lld\n", best);
        printf("optimal_subsequences_mod_2^64 %llu\n", optimal);
        int *w = malloc(sizeof(int) * k);
        long long need = best;
        int prev = -1;
        for (int t = 0; t < k; t++) {
            const long long *fl = f + (size_t)(k - 1 - t) * n; /* chains of length k - t */
            int q = prev + 1;
            while (!(fl[q] == need && (prev < 0 || a[q] > a[prev]))) q++;
            w[t] = q;
            need -= a[q];
            prev = q;
        }
        printf("witness_indices");
        for (int t = 0; t < k; t++) printf(" %d", w[t]);
        printf("\nwitness_values");
        for (int t = 0; t < k; t++) printf(" %lld", a[w[t]]);
        printf("\n");
        free(w);
    }
    free(a);
    free(f);
    free(all_prev);
    free(all_cur);
    free(opt_prev);
    free(opt_cur);
    return 0;
}
