/* CUDA MD5 brute force. For each length the candidates are numbered 0..26^len-1 in enumeration order
 * (first letter most significant); batches of consecutive indices are searched by a grid-stride kernel,
 * one candidate per thread per step: the thread builds the padded MD5 block straight from the index
 * (fully unrolled, so the message words stay in registers), hashes it and, on a match, lowers a global
 * minimum with atomicMin. Batches run in order and the search stops after the first batch with a match,
 * so the lowest matching index, i.e. the first match in enumeration order, is reported. The MD5 code is
 * __host__ __device__: the host uses it for the target and for re-checking the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define CUDA_CHECK(call) \
    do { \
        cudaError_t err_ = (call); \
        if (err_ != cudaSuccess) { \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(err_), __FILE__, __LINE__); \
            exit(1); \
        } \
    } while (0)

#define MD5_F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define MD5_G(x, y, z) (((x) & (z)) | ((y) & ~(z)))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
#define MD5_ROTL(x, s) (((x) << (s)) | ((x) >> (32 - (s))))
#define MD5_STEP(f, a, b, c, d, x, k, s) \
    do { \
        (a) += MD5_##f((b), (c), (d)) + (x) + (k); \
        (a) = MD5_ROTL((a), (s)) + (b); \
    } while (0)

#define MAX_LEN 12
#define BATCH (1ULL << 28)

/* MD5 compression of one already padded 64-byte block (16 little-endian words). */
__host__ __device__ static inline void md5_block(const uint32_t m[16], uint32_t digest[4])
{
    uint32_t a = 0x67452301u, b = 0xefcdab89u, c = 0x98badcfeu, d = 0x10325476u;
    MD5_STEP(F, a, b, c, d, m[0], 0xd76aa478u, 7);
    MD5_STEP(F, d, a, b, c, m[1], 0xe8c7b756u, 12);
    MD5_STEP(F, c, d, a, b, m[2], 0x242070dbu, 17);
    MD5_STEP(F, b, c, d, a, m[3], 0xc1bdceeeu, 22);
    MD5_STEP(F, a, b, c, d, m[4], 0xf57c0fafu, 7);
    MD5_STEP(F, d, a, b, c, m[5], 0x4787c62au, 12);
    MD5_STEP(F, c, d, a, b, m[6], 0xa8304613u, 17);
    MD5_STEP(F, b, c, d, a, m[7], 0xfd469501u, 22);
    MD5_STEP(F, a, b, c, d, m[8], 0x698098d8u, 7);
    MD5_STEP(F, d, a, b, c, m[9], 0x8b44f7afu, 12);
    MD5_STEP(F, c, d, a, b, m[10], 0xffff5bb1u, 17);
    MD5_STEP(F, b, c, d, a, m[11], 0x895cd7beu, 22);
    MD5_STEP(F, a, b, c, d, m[12], 0x6b901122u, 7);
    MD5_STEP(F, d, a, b, c, m[13], 0xfd987193u, 12);
    MD5_STEP(F, c, d, a, b, m[14], 0xa679438eu, 17);
    MD5_STEP(F, b, c, d, a, m[15], 0x49b40821u, 22);
    MD5_STEP(G, a, b, c, d, m[1], 0xf61e2562u, 5);
    MD5_STEP(G, d, a, b, c, m[6], 0xc040b340u, 9);
    MD5_STEP(G, c, d, a, b, m[11], 0x265e5a51u, 14);
    MD5_STEP(G, b, c, d, a, m[0], 0xe9b6c7aau, 20);
    MD5_STEP(G, a, b, c, d, m[5], 0xd62f105du, 5);
    MD5_STEP(G, d, a, b, c, m[10], 0x02441453u, 9);
    MD5_STEP(G, c, d, a, b, m[15], 0xd8a1e681u, 14);
    MD5_STEP(G, b, c, d, a, m[4], 0xe7d3fbc8u, 20);
    MD5_STEP(G, a, b, c, d, m[9], 0x21e1cde6u, 5);
    MD5_STEP(G, d, a, b, c, m[14], 0xc33707d6u, 9);
    MD5_STEP(G, c, d, a, b, m[3], 0xf4d50d87u, 14);
    MD5_STEP(G, b, c, d, a, m[8], 0x455a14edu, 20);
    MD5_STEP(G, a, b, c, d, m[13], 0xa9e3e905u, 5);
    MD5_STEP(G, d, a, b, c, m[2], 0xfcefa3f8u, 9);
    MD5_STEP(G, c, d, a, b, m[7], 0x676f02d9u, 14);
    MD5_STEP(G, b, c, d, a, m[12], 0x8d2a4c8au, 20);
    MD5_STEP(H, a, b, c, d, m[5], 0xfffa3942u, 4);
    MD5_STEP(H, d, a, b, c, m[8], 0x8771f681u, 11);
    MD5_STEP(H, c, d, a, b, m[11], 0x6d9d6122u, 16);
    MD5_STEP(H, b, c, d, a, m[14], 0xfde5380cu, 23);
    MD5_STEP(H, a, b, c, d, m[1], 0xa4beea44u, 4);
    MD5_STEP(H, d, a, b, c, m[4], 0x4bdecfa9u, 11);
    MD5_STEP(H, c, d, a, b, m[7], 0xf6bb4b60u, 16);
    MD5_STEP(H, b, c, d, a, m[10], 0xbebfbc70u, 23);
    MD5_STEP(H, a, b, c, d, m[13], 0x289b7ec6u, 4);
    MD5_STEP(H, d, a, b, c, m[0], 0xeaa127fau, 11);
    MD5_STEP(H, c, d, a, b, m[3], 0xd4ef3085u, 16);
    MD5_STEP(H, b, c, d, a, m[6], 0x04881d05u, 23);
    MD5_STEP(H, a, b, c, d, m[9], 0xd9d4d039u, 4);
    MD5_STEP(H, d, a, b, c, m[12], 0xe6db99e5u, 11);
    MD5_STEP(H, c, d, a, b, m[15], 0x1fa27cf8u, 16);
    MD5_STEP(H, b, c, d, a, m[2], 0xc4ac5665u, 23);
    MD5_STEP(I, a, b, c, d, m[0], 0xf4292244u, 6);
    MD5_STEP(I, d, a, b, c, m[7], 0x432aff97u, 10);
    MD5_STEP(I, c, d, a, b, m[14], 0xab9423a7u, 15);
    MD5_STEP(I, b, c, d, a, m[5], 0xfc93a039u, 21);
    MD5_STEP(I, a, b, c, d, m[12], 0x655b59c3u, 6);
    MD5_STEP(I, d, a, b, c, m[3], 0x8f0ccc92u, 10);
    MD5_STEP(I, c, d, a, b, m[10], 0xffeff47du, 15);
    MD5_STEP(I, b, c, d, a, m[1], 0x85845dd1u, 21);
    MD5_STEP(I, a, b, c, d, m[8], 0x6fa87e4fu, 6);
    MD5_STEP(I, d, a, b, c, m[15], 0xfe2ce6e0u, 10);
    MD5_STEP(I, c, d, a, b, m[6], 0xa3014314u, 15);
    MD5_STEP(I, b, c, d, a, m[13], 0x4e0811a1u, 21);
    MD5_STEP(I, a, b, c, d, m[4], 0xf7537e82u, 6);
    MD5_STEP(I, d, a, b, c, m[11], 0xbd3af235u, 10);
    MD5_STEP(I, c, d, a, b, m[2], 0x2ad7d2bbu, 15);
    MD5_STEP(I, b, c, d, a, m[9], 0xeb86d391u, 21);
    digest[0] = a + 0x67452301u;
    digest[1] = b + 0xefcdab89u;
    digest[2] = c + 0x98badcfeu;
    digest[3] = d + 0x10325476u;
}

/* MD5 of a message of len <= 55 bytes (host side: target and re-check). */
__host__ __device__ static inline void md5_short(const unsigned char *msg, int len, uint32_t digest[4])
{
    uint32_t m[16];
    for (int i = 0; i < 16; i++) m[i] = 0;
    for (int i = 0; i < len; i++) m[i >> 2] |= (uint32_t)msg[i] << (8 * (i & 3));
    m[len >> 2] |= 0x80u << (8 * (len & 3));
    m[14] = (uint32_t)len * 8u;
    md5_block(m, digest);
}

/* Padded block of the candidate with index r among the passwords of length len (len <= MAX_LEN). */
__device__ static inline void candidate_block(unsigned long long r, int len, uint32_t m[16])
{
#pragma unroll
    for (int w = 0; w < 16; w++) m[w] = 0;
#pragma unroll
    for (int i = MAX_LEN - 1; i >= 0; i--) {
        if (i < len) { /* position len-1 is the least significant letter */
            m[i >> 2] |= (uint32_t)('a' + (int)(r % 26)) << (8 * (i & 3));
            r /= 26;
        }
    }
#pragma unroll
    for (int w = 0; w <= MAX_LEN / 4; w++)
        if (w == (len >> 2)) m[w] |= 0x80u << (8 * (len & 3));
    m[14] = (uint32_t)len * 8u;
}

__global__ void search(int len, unsigned long long base, unsigned long long count,
                       uint32_t t0, uint32_t t1, uint32_t t2, uint32_t t3, unsigned long long *best)
{
    unsigned long long stride = (unsigned long long)gridDim.x * blockDim.x;
    for (unsigned long long idx = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x; idx < count; idx += stride) {
        unsigned long long r = base + idx;
        uint32_t m[16], digest[4];
        candidate_block(r, len, m);
        md5_block(m, digest);
        if (digest[0] == t0 && digest[1] == t1 && digest[2] == t2 && digest[3] == t3) atomicMin(best, r);
    }
}

static void print_digest(const char *label, const uint32_t digest[4])
{
    printf("%s ", label);
    for (int w = 0; w < 4; w++)
        for (int byte = 0; byte < 4; byte++) printf("%02x", (digest[w] >> (8 * byte)) & 0xffu);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s MAXLEN SEED [PASSWORD]\n", argv[0]);
        return 1;
    }
    int maxlen = atoi(argv[1]);
    unsigned long long state = strtoull(argv[2], NULL, 10);
    if (maxlen < 1 || maxlen > MAX_LEN) {
        fprintf(stderr, "MAXLEN must be 1..12\n");
        return 1;
    }
    char secret[64];
    if (argc == 4) {
        if (strlen(argv[3]) > 55) {
            fprintf(stderr, "PASSWORD must be at most 55 bytes\n");
            return 1;
        }
        strcpy(secret, argv[3]);
    } else {
        for (int i = 0; i < maxlen; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            secret[i] = (char)('a' + (state >> 33) % 26);
        }
        secret[maxlen] = '\0';
    }
    uint32_t target[4];
    md5_short((const unsigned char *)secret, (int)strlen(secret), target);

    int device = 0, sms = 0;
    CUDA_CHECK(cudaGetDevice(&device));
    CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    const int threads = 256;
    unsigned long long *d_best = NULL;
    CUDA_CHECK(cudaMalloc((void **)&d_best, sizeof(unsigned long long)));

    unsigned long long offset = 0, keyspace = 0, found_index = 0;
    int found_len = 0;
    unsigned char found[16];
    for (int len = 1; len <= maxlen; len++) {
        unsigned long long span = 1;
        for (int i = 0; i < len; i++) span *= 26;
        keyspace += span;
    }
    for (int len = 1; len <= maxlen && !found_len; len++) {
        unsigned long long span = 1;
        for (int i = 0; i < len; i++) span *= 26;
        unsigned long long best = span; /* span = no match */
        CUDA_CHECK(cudaMemcpy(d_best, &best, sizeof best, cudaMemcpyHostToDevice));
        for (unsigned long long base = 0; base < span && best == span; base += BATCH) {
            unsigned long long count = span - base < BATCH ? span - base : BATCH;
            unsigned long long want = (count + threads - 1) / threads;
            unsigned long long cap = (unsigned long long)sms * 32;
            int blocks = (int)(want < cap ? want : cap);
            search<<<blocks, threads>>>(len, base, count, target[0], target[1], target[2], target[3], d_best);
            CUDA_CHECK(cudaGetLastError());
            CUDA_CHECK(cudaMemcpy(&best, d_best, sizeof best, cudaMemcpyDeviceToHost));
        }
        if (best < span) {
            found_len = len;
            found_index = offset + best;
            unsigned long long q = best;
            for (int i = len - 1; i >= 0; i--) {
                found[i] = (unsigned char)('a' + q % 26);
                q /= 26;
            }
        }
        offset += span;
    }
    CUDA_CHECK(cudaFree(d_best));

    print_digest("target", target);
    if (found_len) {
        uint32_t check[4];
        found[found_len] = '\0';
        md5_short(found, found_len, check);
        printf("found %s\n", (const char *)found);
        print_digest("md5", check);
        printf("index %llu\n", found_index);
    } else {
        printf("found none\n");
        printf("index none\n");
    }
    printf("keyspace %llu\n", keyspace);
    return 0;
}
