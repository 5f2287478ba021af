/* ShellSort of N fixed-length strings of random lowercase letters.
 * Usage: shellsort N LEN SEED. String i is drawn from a counter-based generator keyed by (SEED, i),
 * the strings are stored as N records of LEN bytes and sorted in place by Shell's method with
 * Ciura's gap sequence (extended by x2.25). Prints the count, an order-independent checksum,
 * a position-weighted hash of the sorted sequence and the strings at a few positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Fills rec[0..len) with string number i: each 64-bit draw gives 12 letters. */
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

/* Gaps 1, 4, 10, 23, 57, 132, 301, 701, 1750, then x2.25, all below n; returns how many. */
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
    char *a = malloc((size_t)n * len);
    char *tmp = malloc((size_t)len + 1);
    if (!a || !tmp) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) make_string(a + (size_t)i * len, i, len, key);

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

    uint64_t checksum = 0, hash = 0;
    for (long i = 0; i < n; i++) {
        uint64_t h = fnv1a(a + (size_t)i * len, len);
        checksum += h;
        hash += h * (uint64_t)(i + 1);
    }
    printf("n %ld len %d\n", n, len);
    printf("checksum %016llx\n", (unsigned long long)checksum);
    printf("hash %016llx\n", (unsigned long long)hash);
    long probes[5] = {0, n / 4, n / 2, (3 * n) / 4, n - 1};
    for (int p = 0; p < 5; p++) {
        memcpy(tmp, a + (size_t)probes[p] * len, len);
        tmp[len] = '\0';
        printf("s[%ld] %s\n", probes[p], tmp);
    }
    free(a);
    free(tmp);
    return 0;
}
