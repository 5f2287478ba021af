/* Fibonacci number F(N) as an exact decimal number, by N - 1 big-number additions.
 * Usage: fibonacci N. Two numbers are kept as little-endian limbs in base 10^9; each step adds the
 * newer one into the older one with carry propagation (F(k) = F(k-1) + F(k-2)), so the two buffers
 * alternate. Prints the digit count, a hash over the limbs, the digit sum and the first and last 50
 * digits of F(N). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define BASE 1000000000U
#define BASE_DIGITS 9

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

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
    /* F(k) < phi^k, so it has at most k * log10(phi) + 1 digits. */
    long cap = (long)(n * 0.20898764024997873 / BASE_DIGITS) + 3;
    uint32_t *buf[2];
    buf[0] = calloc((size_t)cap, sizeof(uint32_t)); /* F(0) = 0 */
    buf[1] = calloc((size_t)cap, sizeof(uint32_t)); /* F(1) = 1 */
    if (!buf[0] || !buf[1]) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    buf[1][0] = 1;
    long len = 1; /* limbs in use by the newer number */

    for (long k = 2; k <= n; k++) {
        uint32_t *dst = buf[k & 1];              /* holds F(k-2), becomes F(k) */
        const uint32_t *src = buf[(k - 1) & 1];  /* F(k-1) */
        uint32_t carry = 0;
        for (long i = 0; i < len; i++) {
            uint32_t s = dst[i] + src[i] + carry;
            carry = s >= BASE;
            dst[i] = carry ? s - BASE : s;
        }
        if (carry) dst[len++] = 1;
    }

    const uint32_t *f = buf[n & 1];
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
    return 0;
}
