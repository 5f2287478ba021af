/* OpenMP ShellSort of fixed-length strings.
 * The strings are generated in parallel (the generator is keyed by the string's index). The array is
 * split into one contiguous block per thread and every thread Shell-sorts its own block with the same
 * gap sequence as the sequential code. The sorted blocks are then merged pairwise, log2(threads)
 * rounds; each merge is shared among all threads by merge-path partitioning (a binary search on the
 * output diagonal gives each thread an equal slice of the output). A sorted sequence is unique, so the
 * output equals the sequential one at any thread count; the hashes are integer reductions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <omp.h>

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void make_string(char *rec, long i, int len, uint64_t key)
{
    uint64_t r = 0;
    for (int c = 0; c < len; c++) {
        if (c % 12 == 0) r = mix(mix(key ^ (uint64_t)i) + (uint64_t)(c / 12));
        rec[c] = (char)('a' + r % 26);
        r /= 26;
    }
}

static uint64_t fnv1a(const char *s, int len)
{
    uint64_t h = 1469598103934665603ULL;
    for (int c = 0; c < len; c++) {
        h ^= (unsigned char)s[c];
        h *= 1099511628211ULL;
    }
    return h;
}

static int make_gaps(long n, long *gaps)
{
    static const long ciura[] = {1, 4, 10, 23, 57, 132, 301, 701, 1750};
    int count = 0;
    for (int k = 0; k < 9 && ciura[k] < n; k++) gaps[count++] = ciura[k];
    if (count == 9) {
        long g = gaps[8];
        while ((g = (long)(g * 2.25)) < n) gaps[count++] = g;
    }
    return count;
}

/* Sequential Shell sort of n records of len bytes; tmp holds one record. */
static void shell_sort(char *a, long n, int len, char *tmp)
{
    long gaps[64];
    int ngaps = make_gaps(n, gaps);
    for (int g = ngaps - 1; g >= 0; g--) {
        long h = gaps[g];
        for (long i = h; i < n; i++) {
            memcpy(tmp, a + (size_t)i * len, len);
            long j = i;
            while (j >= h && memcmp(a + (size_t)(j - h) * len, tmp, len) > 0) {
                memcpy(a + (size_t)j * len, a + (size_t)(j - h) * len, len);
                j -= h;
            }
            memcpy(a + (size_t)j * len, tmp, len);
        }
    }
}

/* Merge path: how many of the first d output records come from A (stable: A wins ties). */
static long split_point(const char *A, long na, const char *B, long nb, long d, int len)
{
    long lo = d > nb ? d - nb : 0, hi = d < na ? d : na;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (memcmp(A + (size_t)mid * len, B + (size_t)(d - mid - 1) * len, len) <= 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Merges A[ia..ia_end) and B[ib..ib_end) into C (stable). */
static void merge_range(const char *A, long ia, long ia_end, const char *B, long ib, long ib_end, char *C, int len)
{
    while (ia < ia_end && ib < ib_end) {
        if (memcmp(A + (size_t)ia * len, B + (size_t)ib * len, len) <= 0) {
            memcpy(C, A + (size_t)ia * len, len);
            ia++;
        } else {
            memcpy(C, B + (size_t)ib * len, len);
            ib++;
        }
        C += len;
    }
    if (ia < ia_end) memcpy(C, A + (size_t)ia * len, (size_t)(ia_end - ia) * len);
    if (ib < ib_end) memcpy(C, B + (size_t)ib * len, (size_t)(ib_end - ib) * len);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N LEN SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    int len = atoi(argv[2]);
    uint64_t key = mix(strtoull(argv[3], NULL, 10));
    if (n < 1 || len < 1) {
        fprintf(stderr, "N and LEN must be positive\n");
        return 1;
    }
    int nthreads = omp_get_max_threads();
    if (nthreads > n) nthreads = (int)n;
    char *a = malloc((size_t)n * len);
    char *b = nthreads > 1 ? malloc((size_t)n * len) : NULL;
    long *bound = malloc(sizeof(long) * (nthreads + 1));
    long *next_bound = malloc(sizeof(long) * (nthreads + 1));
    if (!a || (nthreads > 1 && !b) || !bound || !next_bound) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int t = 0; t <= nthreads; t++) bound[t] = (long)((double)n * t / nthreads);
    bound[nthreads] = n;
    int runs = nthreads;
    char *src = a, *dst = b;

    #pragma omp parallel num_threads(nthreads)
    {
        int tid = omp_get_thread_num(), nt = omp_get_num_threads();
        char *tmp = malloc((size_t)len);

        #pragma omp for schedule(static)
        for (long i = 0; i < n; i++) make_string(a + (size_t)i * len, i, len, key);

        /* Phase 1: each thread sorts its own block. The team may be smaller than asked for. */
        if (nt == nthreads) {
            shell_sort(a + (size_t)bound[tid] * len, bound[tid + 1] - bound[tid], len, tmp);
        } else {
            #pragma omp for schedule(dynamic, 1)
            for (int r = 0; r < nthreads; r++) shell_sort(a + (size_t)bound[r] * len, bound[r + 1] - bound[r], len, tmp);
        }
        #pragma omp barrier

        /* Phase 2: merge neighbouring runs until one remains; every merge uses the whole team. */
        while (runs > 1) {
            for (int r = 0; r + 1 < runs; r += 2) {
                const char *A = src + (size_t)bound[r] * len, *B = src + (size_t)bound[r + 1] * len;
                long na = bound[r + 1] - bound[r], nb = bound[r + 2] - bound[r + 1], total = na + nb;
                long d0 = total * tid / nt, d1 = total * (tid + 1) / nt;
                long i0 = split_point(A, na, B, nb, d0, len), i1 = split_point(A, na, B, nb, d1, len);
                merge_range(A, i0, i1, B, d0 - i0, d1 - i1, dst + (size_t)(bound[r] + d0) * len, len);
            }
            if (runs % 2 == 1) {
                long lo = bound[runs - 1], cnt = bound[runs] - lo;
                long c0 = cnt * tid / nt, c1 = cnt * (tid + 1) / nt;
                memcpy(dst + (size_t)(lo + c0) * len, src + (size_t)(lo + c0) * len, (size_t)(c1 - c0) * len);
            }
            #pragma omp barrier
            #pragma omp single
            {
                int k = 0;
                for (int r = 0; r < runs; r += 2) next_bound[k++] = bound[r];
                next_bound[k] = n;
                memcpy(bound, next_bound, sizeof(long) * (k + 1));
                runs = k;
                char *t = src; src = dst; dst = t;
            }
        }
        free(tmp);
    }

    uint64_t checksum = 0, hash = 0;
    #pragma omp parallel for schedule(static) reduction(+:checksum, hash)
    for (long i = 0; i < n; i++) {
        uint64_t h = fnv1a(src + (size_t)i * len, len);
        checksum += h;
        hash += h * (uint64_t)(i + 1);
    }
    char *tmp = malloc((size_t)len + 1);
    printf("n %ld len %d\n", n, len);
    printf("checksum %016llx\n", (unsigned long long)checksum);
    printf("hash %016llx\n", (unsigned long long)hash);
    long probes[5] = {0, n / 4, n / 2, (3 * n) / 4, n - 1};
    for (int p = 0; p < 5; p++) {
        memcpy(tmp, src + (size_t)probes[p] * len, len);
        tmp[len] = '\0';
        printf("s[%ld] %s\n", probes[p], tmp);
    }
    free(tmp);
    free(a);
    free(b);
    free(bound);
    free(next_bound);
    return 0;
}
