/* MPI Fibonacci by repeated big-number addition, parallelised as a distributed wavefront.
 * Limb i of F(k) depends only on limb i of F(k-1) and F(k-2) and on the carry out of limb i-1 of
 * the same step. The limbs are cut into blocks of B limbs, dealt to the ranks cyclically
 * (block J on rank J mod P, which balances the triangular work of a growing number), and the steps
 * into chunks of S steps. The tile (chunk K, block J) runs S additions on its block, receiving the
 * S carries of tile (K, J-1) from the rank that owns block J-1 and sending its own S carries to the
 * owner of block J+1. Every rank works through its tiles anti-diagonal by anti-diagonal (K + J
 * increasing), so the ranks form a pipeline; a tile only waits for tiles on the previous
 * anti-diagonal, which cannot deadlock. Sends are non-blocking with two buffers per block. At the
 * end the blocks of F(N) are gathered on rank 0 (MPI_Gatherv with counts and displacements), which
 * prints; other ranks print nothing. The additions are exact, so the output equals the sequential
 * program's at any rank count. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <mpi.h>

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

static long limb_bound(long k) { return (long)(k * 0.20898764024997873 / BASE_DIGITS) + 3; }

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return p;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 2) {
        if (rank == 0) fprintf(stderr, "usage: %s N\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = atol(argv[1]);
    if (n < 0) {
        if (rank == 0) fprintf(stderr, "N must be non-negative\n");
        MPI_Finalize();
        return 1;
    }
    long cap = limb_bound(n);
    long block = (cap + 4L * size - 1) / (4L * size);
    if (block < 128) block = 128;
    long nblocks = (cap + block - 1) / block;
    long nchunks = n >= 2 ? (n - 1 + CHUNK - 1) / CHUNK : 0;

    /* Full-length buffers for simplicity; a rank only touches the limbs of its own blocks. */
    uint32_t *buf[2];
    buf[0] = xcalloc((size_t)cap, sizeof(uint32_t));
    buf[1] = xcalloc((size_t)cap, sizeof(uint32_t));
    buf[1][0] = 1;
    unsigned char *sendbuf = xcalloc((size_t)nblocks * 2 * CHUNK, 1);
    MPI_Request *request = xcalloc((size_t)nblocks * 2, sizeof(MPI_Request));
    for (long i = 0; i < nblocks * 2; i++) request[i] = MPI_REQUEST_NULL;
    unsigned char cin[CHUNK];

    for (long diag = 0; diag < nchunks + nblocks - 1; diag++) {
        for (long J = rank; J < nblocks; J += size) {
            long K = diag - J;
            if (K < 0 || K >= nchunks) continue;
            long k0 = 2 + K * CHUNK, k1 = k0 + CHUNK - 1 < n ? k0 + CHUNK - 1 : n;
            long active = (limb_bound(k1) + block - 1) / block;
            if (J >= active) continue;
            int steps = (int)(k1 - k0 + 1);
            if (J > 0) MPI_Recv(cin, steps, MPI_UNSIGNED_CHAR, (int)((J - 1) % size), (int)J, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            int send = J + 1 < active;
            unsigned char *cout = sendbuf + (J * 2 + (K & 1)) * CHUNK;
            if (send) MPI_Wait(&request[J * 2 + (K & 1)], MPI_STATUS_IGNORE); /* the send from chunk K-2 */
            long lo = J * block, hi = lo + block < cap ? lo + block : cap;
            for (long k = k0; k <= k1; k++) {
                uint32_t *dst = buf[k & 1];
                const uint32_t *src = buf[(k - 1) & 1];
                uint32_t c = J > 0 ? cin[k - k0] : 0;
                long top = limb_bound(k) < hi ? limb_bound(k) : hi; /* limbs above the bound are still zero */
                for (long i = lo; i < top; i++) {
                    uint32_t s = dst[i] + src[i] + c;
                    c = s >= BASE;
                    dst[i] = c ? s - BASE : s;
                }
                cout[k - k0] = (unsigned char)c;
            }
            if (send) MPI_Isend(cout, steps, MPI_UNSIGNED_CHAR, (int)((J + 1) % size), (int)(J + 1), MPI_COMM_WORLD, &request[J * 2 + (K & 1)]);
        }
    }
    MPI_Waitall((int)(nblocks * 2), request, MPI_STATUSES_IGNORE);

    /* Gather the blocks of F(N) on rank 0. */
    int *counts = xcalloc((size_t)size, sizeof(int)), *displs = xcalloc((size_t)size, sizeof(int));
    for (long J = 0; J < nblocks; J++) {
        long lo = J * block, hi = lo + block < cap ? lo + block : cap;
        counts[J % size] += (int)(hi - lo);
    }
    for (int r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
    const uint32_t *mine = buf[n & 1];
    uint32_t *packed = xcalloc((size_t)counts[rank], sizeof(uint32_t));
    long pos = 0;
    for (long J = rank; J < nblocks; J += size) {
        long lo = J * block, hi = lo + block < cap ? lo + block : cap;
        for (long i = lo; i < hi; i++) packed[pos++] = mine[i];
    }
    uint32_t *gathered = rank == 0 ? xcalloc((size_t)cap, sizeof(uint32_t)) : NULL;
    MPI_Gatherv(packed, counts[rank], MPI_UINT32_T, gathered, counts, displs, MPI_UINT32_T, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        uint32_t *f = xcalloc((size_t)cap, sizeof(uint32_t));
        long *next = xcalloc((size_t)size, sizeof(long));
        for (int r = 0; r < size; r++) next[r] = displs[r];
        for (long J = 0; J < nblocks; J++) {
            long lo = J * block, hi = lo + block < cap ? lo + block : cap;
            for (long i = lo; i < hi; i++) f[i] = gathered[next[J % size]++];
        }
        long len = cap;
        while (len > 1 && f[len - 1] == 0) len--;
        uint64_t hash = 0, digit_sum = 0;
        for (long i = 0; i < len; i++) {
            hash += mix((uint64_t)f[i] + ((uint64_t)i << 32));
            for (uint32_t v = f[i]; v > 0; v /= 10) digit_sum += v % 10;
        }
        char *text = xcalloc((size_t)len * BASE_DIGITS + 1, 1);
        long tp = sprintf(text, "%u", f[len - 1]);
        for (long i = len - 2; i >= 0; i--) tp += sprintf(text + tp, "%09u", f[i]);
        long shown = tp < 50 ? tp : 50;
        printf("n %ld\n", n);
        printf("digits %ld\n", tp);
        printf("hash %016llx\n", (unsigned long long)hash);
        printf("digit_sum %llu\n", (unsigned long long)digit_sum);
        printf("first %.*s\n", (int)shown, text);
        printf("last %s\n", text + tp - shown);
        free(text);
        free(f);
        free(next);
        free(gathered);
    }
    free(packed);
    free(counts);
    free(displs);
    free(sendbuf);
    free(request);
    free(buf[0]);
    free(buf[1]);
    MPI_Finalize();
    return 0;
}
