/* Maximum-sum increasing subsequence of fixed length K over a seeded pseudo-random array.
 * Usage: maxsum N K SEED
 *   a[0..N-1] are integers in [1, 1000] from a seeded LCG. A subsequence a[i1] < a[i2] < ... < a[iK]
 *   with i1 < i2 < ... < iK is "increasing" (strictly). The program finds the largest sum of such a
 *   subsequence, the lexicographically first index sequence that reaches it, how many increasing
 *   subsequences reach it and how many increasing subsequences of length K there are (both counts
 *   modulo 2^64).
 * Dynamic programming over lengths, O(N^2 K): f[j][i] is the best sum of an increasing subsequence of
 * length j that starts at i (0 when there is none):
 *   f[1][i] = a[i],  f[j][i] = a[i] + max { f[j-1][q] : q > i, a[q] > a[i], f[j-1][q] > 0 }.
 * Alongside, all[j][i] counts the length-j increasing subsequences starting at i and opt[j][i] those
 * of them whose sum is f[j][i]. All arithmetic is on integers, so the result is exact. The witness is
 * rebuilt greedily from the front: each next index is the smallest one that can still complete the
 * optimum. */
#include <stdio.h>
#include <stdlib.h>

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
    for (int j = 2; j <= k; j++) {
        const long long *fp = f + (size_t)(j - 2) * n;
        long long *fc = f + (size_t)(j - 1) * n;
        for (int i = 0; i < n; i++) {
            long long ai = a[i], best = 0;
            u64 count_all = 0, count_opt = 0;
            for (int q = i + 1; q < n; q++) {
                if (a[q] > ai) {
                    long long v = fp[q]; /* 0 (and counts 0) when no chain of length j-1 starts at q */
                    count_all += all_prev[q];
                    if (v > best) {
                        best = v;
                        count_opt = opt_prev[q];
                    } else if (v == best) {
                        count_opt += opt_prev[q];
                    }
                }
            }
            fc[i] = best > 0 ? ai + best : 0;
            all_cur[i] = count_all;
            opt_cur[i] = best > 0 ? count_opt : 0;
        }
        u64 *t = all_prev; all_prev = all_cur; all_cur = t;
        t = opt_prev; opt_prev = opt_cur; opt_cur = t;
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
