/* CUDA maximum-sum increasing subsequence of length K. Levels j = 2..K run as one kernel launch each
 * (launches on the default stream are ordered). Within a level one warp computes one entry f[j][i]:
 * its 32 lanes stride over q > i (coalesced reads of a, f[j-1] and the two count arrays), each keeps a
 * partial (best, count of best, count of all), and a butterfly of warp shuffles combines them. The
 * combine (larger best wins, equal bests add their counts; counts mod 2^64) is associative and
 * commutative, so the result equals the sequential one exactly. The whole table f comes back to the
 * host for the O(N K) final scan and the greedy witness rebuild. */
#include <stdio.h>
#include <stdlib.h>

#define CUDA_CHECK(call) \
    do { \
        cudaError_t err_ = (call); \
        if (err_ != cudaSuccess) { \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(err_), __FILE__, __LINE__); \
            exit(1); \
        } \
    } while (0)

typedef unsigned long long u64;

/* One warp per i: level j from level j-1 (fp, ap, op) into (fc, ac, oc). */
__global__ void level_kernel(int n, const long long *__restrict__ a, const long long *__restrict__ fp,
                             const u64 *__restrict__ ap, const u64 *__restrict__ op,
                             long long *__restrict__ fc, u64 *__restrict__ ac, u64 *__restrict__ oc)
{
    const int lane = threadIdx.x & 31;
    const long long warp = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    long long best = 0;
    u64 count_all = 0, count_opt = 0;
    if (warp < n) {
        const int i = (int)warp;
        const long long ai = a[i];
        for (int q = i + 1 + lane; q < n; q += 32) {
            if (a[q] > ai) {
                long long v = fp[q]; /* 0 (and counts 0) when no chain of length j-1 starts at q */
                count_all += ap[q];
                if (v > best) {
                    best = v;
                    count_opt = op[q];
                } else if (v == best) {
                    count_opt += op[q];
                }
            }
        }
    }
    /* every lane of the warp takes part in the shuffles, also in a warp past the end */
    for (int offset = 16; offset > 0; offset >>= 1) {
        long long other_best = __shfl_xor_sync(0xffffffffu, best, offset);
        u64 other_opt = __shfl_xor_sync(0xffffffffu, count_opt, offset);
        u64 other_all = __shfl_xor_sync(0xffffffffu, count_all, offset);
        count_all += other_all;
        if (other_best > best) {
            best = other_best;
            count_opt = other_opt;
        } else if (other_best == best) {
            count_opt += other_opt;
        }
    }
    if (warp < n && lane == 0) {
        const int i = (int)warp;
        fc[i] = best > 0 ? a[i] + best : 0;
        ac[i] = count_all;
        oc[i] = best > 0 ? count_opt : 0;
    }
}

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
    long long *a = (long long *)malloc(sizeof(long long) * n);
    long long *f = (long long *)malloc(sizeof(long long) * (size_t)n * k); /* f[(j-1)*n + i] */
    u64 *all_prev = (u64 *)malloc(sizeof(u64) * n), *all_cur = (u64 *)malloc(sizeof(u64) * n);
    u64 *opt_prev = (u64 *)malloc(sizeof(u64) * n), *opt_cur = (u64 *)malloc(sizeof(u64) * n);
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
    long long *d_a = NULL, *d_f = NULL;
    u64 *d_all_prev = NULL, *d_all_cur = NULL, *d_opt_prev = NULL, *d_opt_cur = NULL;
    CUDA_CHECK(cudaMalloc((void **)&d_a, sizeof(long long) * n));
    CUDA_CHECK(cudaMalloc((void **)&d_f, sizeof(long long) * (size_t)n * k));
    CUDA_CHECK(cudaMalloc((void **)&d_all_prev, sizeof(u64) * n));
    CUDA_CHECK(cudaMalloc((void **)&d_all_cur, sizeof(u64) * n));
    CUDA_CHECK(cudaMalloc((void **)&d_opt_prev, sizeof(u64) * n));
    CUDA_CHECK(cudaMalloc((void **)&d_opt_cur, sizeof(u64) * n));
    CUDA_CHECK(cudaMemcpy(d_a, a, sizeof(long long) * n, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(d_f, f, sizeof(long long) * n, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(d_all_prev, all_prev, sizeof(u64) * n, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(d_opt_prev, opt_prev, sizeof(u64) * n, cudaMemcpyHostToDevice));

    const int threads = 256; /* 8 warps, 8 entries per block */
    const int blocks = (int)(((long long)n * 32 + threads - 1) / threads);
    for (int j = 2; j <= k; j++) {
        level_kernel<<<blocks, threads>>>(n, d_a, d_f + (size_t)(j - 2) * n, d_all_prev, d_opt_prev,
                                         d_f + (size_t)(j - 1) * n, d_all_cur, d_opt_cur);
        CUDA_CHECK(cudaGetLastError());
        u64 *t = d_all_prev; d_all_prev = d_all_cur; d_all_cur = t;
        t = d_opt_prev; d_opt_prev = d_opt_cur; d_opt_cur = t;
    }
    CUDA_CHECK(cudaDeviceSynchronize());
    CUDA_CHECK(cudaMemcpy(f, d_f, sizeof(long long) * (size_t)n * k, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(all_prev, d_all_prev, sizeof(u64) * n, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(opt_prev, d_opt_prev, sizeof(u64) * n, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaFree(d_a));
    CUDA_CHECK(cudaFree(d_f));
    CUDA_CHECK(cudaFree(d_all_prev));
    CUDA_CHECK(cudaFree(d_all_cur));
    CUDA_CHECK(cudaFree(d_opt_prev));
    CUDA_CHECK(cudaFree(d_opt_cur));

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
        int *w = (int *)malloc(sizeof(int) * k);
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
