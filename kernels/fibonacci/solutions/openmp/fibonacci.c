/* OpenMP Fibonacci by repeated big-number addition, parallelised as a wavefront of tasks.
 * Limb i of F(k) depends only on limb i of F(k-1) and F(k-2) and on the carry out of limb i-1 of
 * the same step. The limbs are cut into blocks of B limbs and the steps into chunks of S steps; the
 * tile (chunk K, block J) runs S additions on its block alone, taking the S carries that tile
 * (K, J-1) produced and producing S carries for tile (K, J+1). So tile (K, J) depends on (K-1, J)
 * (its own block's previous chunk) and (K, J-1) (the carries), and the tiles of an anti-diagonal run
 * in parallel. The tiles are OpenMP tasks ordered by depend clauses on a grid of tokens; carries
 * live in two slots per block, so a tile also waits for the reader of the slot it overwrites
 * (tile (K-2, J+1), which is on an earlier anti-diagonal, so no parallelism is lost). Blocks above
 * the length F can have by the end of a chunk (k * log10(phi) + 1 digits) get no tile at all.
 * The additions are exact, so the output equals the sequential program's at any thread count. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <omp.h>

#define BASE 1000000000U
#define BASE_DIGITS 9
#define CHUNK 512 /* steps per tile */

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* An upper bound on the limbs of F(k). */
static long limb_bound(long k) { return (long)(k * 0.20898764024997873 / BASE_DIGITS) + 3; }

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    if (n < 0) {
        fprintf(stderr, "N must be non-negative\n");
        return 1;
    }
    long cap = limb_bound(n);
    int nthreads = omp_get_max_threads();
    long block = (cap + 4L * nthreads - 1) / (4L * nthreads);
    if (block < 128) block = 128;
    long nblocks = (cap + block - 1) / block;
    long nchunks = n >= 2 ? (n - 1 + CHUNK - 1) / CHUNK : 0;

    uint32_t *buf[2];
    buf[0] = calloc((size_t)cap, sizeof(uint32_t));
    buf[1] = calloc((size_t)cap, sizeof(uint32_t));
    unsigned char *carry = malloc((size_t)nblocks * 2 * CHUNK);             /* carry[(J * 2 + slot) * CHUNK + step] */
    long none = nchunks * nblocks; /* a token no task writes: stands in for a tile that does not exist */
    char *token = calloc((size_t)none + 1, 1); /* dependence objects, one per tile */
    if (!buf[0] || !buf[1] || !carry || !token) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    buf[1][0] = 1;

    #pragma omp parallel
    #pragma omp single
    for (long K = 0; K < nchunks; K++) {
        long k0 = 2 + K * CHUNK, k1 = k0 + CHUNK - 1 < n ? k0 + CHUNK - 1 : n;
        long active = (limb_bound(k1) + block - 1) / block;
        if (active > nblocks) active = nblocks;
        for (long J = 0; J < active; J++) {
            long prev = K > 0 ? (K - 1) * nblocks + J : none;
            long left = J > 0 ? K * nblocks + J - 1 : none;
            long reader = K >= 2 && J + 1 < nblocks ? (K - 2) * nblocks + J + 1 : none;
            #pragma omp task firstprivate(K, J, k0, k1) depend(in: token[prev], token[left], token[reader]) depend(out: token[K * nblocks + J])
            {
                long lo = J * block, hi = lo + block < cap ? lo + block : cap;
                const unsigned char *cin = J > 0 ? carry + ((J - 1) * 2 + (K & 1)) * CHUNK : NULL;
                unsigned char *cout = carry + (J * 2 + (K & 1)) * CHUNK;
                for (long k = k0; k <= k1; k++) {
                    uint32_t *dst = buf[k & 1];
                    const uint32_t *src = buf[(k - 1) & 1];
                    uint32_t c = cin ? cin[k - k0] : 0;
                    long top = limb_bound(k) < hi ? limb_bound(k) : hi; /* limbs above the bound are still zero */
                    for (long i = lo; i < top; i++) {
                        uint32_t s = dst[i] + src[i] + c;
                        c = s >= BASE;
                        dst[i] = c ? s - BASE : s;
                    }
                    cout[k - k0] = (unsigned char)c;
                }
            }
        }
    }

    const uint32_t *f = buf[n & 1];
    long len = cap;
    while (len > 1 && f[len - 1] == 0) len--;
    uint64_t hash = 0, digit_sum = 0;
    for (long i = 0; i < len; i++) {
        hash += mix((uint64_t)f[i] + ((uint64_t)i << 32));
        for (uint32_t v = f[i]; v > 0; v /= 10) digit_sum += v % 10;
    }
    char *text = malloc((size_t)len * BASE_DIGITS + 1);
    if (!text) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    long pos = sprintf(text, "%u", f[len - 1]);
    for (long i = len - 2; i >= 0; i--) pos += sprintf(text + pos, "%09u", f[i]);
    long shown = pos < 50 ? pos : 50;
    printf("n %ld\n", n);
    printf("digits %ld\n", pos);
    printf("hash %016llx\n", (unsigned long long)hash);
    printf("digit_sum %llu\n", (unsigned long long)digit_sum);
    printf("first %.*s\n", (int)shown, text);
    printf("last %s\n", text + pos - shown);
    free(text);
    free(buf[0]);
    free(buf[1]);
    free(carry);
    free(token);
    return 0;
}
