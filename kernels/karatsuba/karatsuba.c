/* Karatsuba multiplication of two seeded random N-digit decimal numbers.
 * Usage: karatsuba N SEED. The numbers are held as little-endian limbs in base 10^6. The product
 * is formed as a polynomial product by Karatsuba's recursion (three half-size products,
 * z1 = (a0 + a1)(b0 + b1) - z0 - z2), falling back to schoolbook multiplication below CUTOFF limbs;
 * carries are propagated once at the end. The coefficients are kept in unsigned 64-bit integers:
 * intermediate values may wrap around, but every operation is a ring operation modulo 2^64 and the
 * true final coefficients are below n * 10^12 < 2^64, so the result is exact (N <= 60,000,000).
 * Prints the digit count, a hash over the product's limbs, its digit sum and its leading and
 * trailing 40 digits. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define BASE 1000000ULL
#define BASE_DIGITS 6
#define CUTOFF 32

static uint64_t state;

static uint64_t next_random(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

/* A random number with exactly ndigits decimal digits in limbs x[0..nlimbs). */
static void random_number(uint64_t *x, long nlimbs, long ndigits)
{
    for (long i = 0; i < nlimbs - 1; i++) x[i] = next_random() % BASE;
    long top_digits = ndigits - (nlimbs - 1) * BASE_DIGITS;
    uint64_t low = 1;
    for (long d = 1; d < top_digits; d++) low *= 10;
    x[nlimbs - 1] = low + next_random() % (9 * low);
}

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* out[0..2n) = a[0..n) * b[0..n) as polynomials, one output coefficient at a time. */
static void schoolbook(const uint64_t *a, const uint64_t *b, long n, uint64_t *out)
{
    for (long k = 0; k < 2 * n - 1; k++) {
        long lo = k < n ? 0 : k - n + 1, hi = k < n ? k : n - 1;
        uint64_t sum = 0;
        for (long i = lo; i <= hi; i++) sum += a[i] * b[k - i];
        out[k] = sum;
    }
    out[2 * n - 1] = 0;
}

/* out[0..2n) = a * b; scratch must hold scratch_size(n) words. */
static void karatsuba(const uint64_t *a, const uint64_t *b, long n, uint64_t *out, uint64_t *scratch)
{
    if (n <= CUTOFF) {
        schoolbook(a, b, n, out);
        return;
    }
    long m = n / 2, h = n - m; /* low and high halves, h >= m */
    uint64_t *sa = scratch, *sb = scratch + h, *z1 = scratch + 2 * h, *rest = scratch + 4 * h;
    for (long i = 0; i < h; i++) {
        sa[i] = a[m + i] + (i < m ? a[i] : 0);
        sb[i] = b[m + i] + (i < m ? b[i] : 0);
    }
    karatsuba(a, b, m, out, rest);                 /* z0 -> out[0, 2m) */
    karatsuba(a + m, b + m, h, out + 2 * m, rest); /* z2 -> out[2m, 2n) */
    karatsuba(sa, sb, h, z1, rest);                /* (a0 + a1)(b0 + b1) */
    for (long i = 0; i < 2 * m; i++) z1[i] -= out[i];
    for (long i = 0; i < 2 * h; i++) z1[i] -= out[2 * m + i];
    for (long i = 0; i < 2 * h; i++) out[m + i] += z1[i];
}

static long scratch_size(long n)
{
    long total = 0;
    while (n > CUTOFF) {
        long h = n - n / 2;
        total += 4 * h;
        n = h;
    }
    return total + 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    long ndigits = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (ndigits < 1 || ndigits > 60000000) {
        fprintf(stderr, "N must be between 1 and 60000000\n");
        return 1;
    }
    long n = (ndigits + BASE_DIGITS - 1) / BASE_DIGITS;
    uint64_t *a = malloc(sizeof(uint64_t) * n);
    uint64_t *b = malloc(sizeof(uint64_t) * n);
    uint64_t *c = malloc(sizeof(uint64_t) * 2 * n);
    uint64_t *scratch = malloc(sizeof(uint64_t) * scratch_size(n));
    if (!a || !b || !c || !scratch) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    random_number(a, n, ndigits);
    random_number(b, n, ndigits);

    karatsuba(a, b, n, c, scratch);

    /* Carry propagation: c becomes the product in base 10^6. */
    uint64_t carry = 0;
    for (long i = 0; i < 2 * n; i++) {
        uint64_t v = c[i] + carry;
        c[i] = v % BASE;
        carry = v / BASE;
    }
    long len = 2 * n;
    while (len > 1 && c[len - 1] == 0) len--;

    uint64_t hash = 0, digit_sum = 0;
    for (long i = 0; i < len; i++) {
        hash += mix(c[i] + ((uint64_t)i << 24));
        for (uint64_t v = c[i]; v > 0; v /= 10) digit_sum += v % 10;
    }
    /* Only the ends of the decimal text are printed; the digit count follows from the top limb. */
    char top[32];
    int top_len = sprintf(top, "%llu", (unsigned long long)c[len - 1]);
    long digits = top_len + (len - 1) * BASE_DIGITS;
    long head_limbs = 40 / BASE_DIGITS + 2 < len ? 40 / BASE_DIGITS + 2 : len;
    char head[128], tail[128];
    int hp = sprintf(head, "%s", top);
    for (long i = len - 2; i >= len - head_limbs; i--) hp += sprintf(head + hp, "%06llu", (unsigned long long)c[i]);
    int tp = 0;
    for (long i = head_limbs - 1; i >= 0; i--) {
        if (i == len - 1) tp += sprintf(tail + tp, "%llu", (unsigned long long)c[i]);
        else tp += sprintf(tail + tp, "%06llu", (unsigned long long)c[i]);
    }
    int shown = digits < 40 ? (int)digits : 40;
    printf("digits %ld\n", digits);
    printf("hash %016llx\n", (unsigned long long)hash);
    printf("digit_sum %llu\n", (unsigned long long)digit_sum);
    printf("leading %.*s\n", shown, head);
    printf("trailing %s\n", tail + tp - shown);
    free(a);
    free(b);
    free(c);
    free(scratch);
    return 0;
}
