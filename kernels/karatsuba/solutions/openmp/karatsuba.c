/* OpenMP Karatsuba multiplication. The three half-size products of every level of the recursion
 * are independent. The top `depth` levels are unrolled (at least eight leaf products per thread):
 * the operand sums a0 + a1, b0 + b1 of the inner nodes are formed first, then the leaf products
 * are shared among the threads by a dynamic worksharing loop (each thread with its own scratch)
 * running the sequential Karatsuba, and finally the inner nodes are recombined bottom-up
 * (z1 - z0 - z2 added in the middle), each recombination a parallel loop. A flat loop over the
 * leaves keeps every thread busy; nested tasks with taskwait would leave threads idle because a
 * waiting thread may only run its own children. The arithmetic is exact and the hash and digit
 * sum are integer reductions, so the output is identical to the sequential program at any thread
 * count. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <omp.h>

#define BASE 1000000ULL
#define BASE_DIGITS 6
#define CUTOFF 32

static uint64_t state;

static uint64_t next_random(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

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

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

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

static void karatsuba(const uint64_t *a, const uint64_t *b, long n, uint64_t *out, uint64_t *scratch)
{
    if (n <= CUTOFF) {
        schoolbook(a, b, n, out);
        return;
    }
    long m = n / 2, h = n - m;
    uint64_t *sa = scratch, *sb = scratch + h, *z1 = scratch + 2 * h, *rest = scratch + 4 * h;
    for (long i = 0; i < h; i++) {
        sa[i] = a[m + i] + (i < m ? a[i] : 0);
        sb[i] = b[m + i] + (i < m ? b[i] : 0);
    }
    karatsuba(a, b, m, out, rest);
    karatsuba(a + m, b + m, h, out + 2 * m, rest);
    karatsuba(sa, sb, h, z1, rest);
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

/* The top levels of the recursion, unrolled: a leaf is one independent product a * b -> out. */
typedef struct { const uint64_t *a, *b; long n; uint64_t *out; } leaf_t;
/* An unrolled inner node: its halves m and h, where its product goes, and its own buffers. */
typedef struct { long m, h; uint64_t *out, *z1, *sums; } node_t;

static int is_leaf(long n, int depth) { return depth == 0 || n <= 4 * CUTOFF; }

/* Forms the operand sums of every inner node down to `depth` and lists the nodes (parents before
 * children) and the leaves. */
static void unroll(const uint64_t *a, const uint64_t *b, long n, uint64_t *out, int depth,
                   node_t *nodes, long *nnodes, leaf_t *leaves, long *nleaves)
{
    if (is_leaf(n, depth)) {
        leaves[(*nleaves)++] = (leaf_t){a, b, n, out};
        return;
    }
    long m = n / 2, h = n - m;
    uint64_t *z1 = xmalloc(sizeof(uint64_t) * 2 * h), *sums = xmalloc(sizeof(uint64_t) * 2 * h);
    uint64_t *sa = sums, *sb = sums + h;
    for (long i = 0; i < h; i++) {
        sa[i] = a[m + i] + (i < m ? a[i] : 0);
        sb[i] = b[m + i] + (i < m ? b[i] : 0);
    }
    nodes[(*nnodes)++] = (node_t){m, h, out, z1, sums};
    unroll(a, b, m, out, depth - 1, nodes, nnodes, leaves, nleaves);                 /* z0 */
    unroll(a + m, b + m, h, out + 2 * m, depth - 1, nodes, nnodes, leaves, nleaves); /* z2 */
    unroll(sa, sb, h, z1, depth - 1, nodes, nnodes, leaves, nleaves);                /* (a0 + a1)(b0 + b1) */
}

/* out[0..2n) = a * b: the leaf products run in parallel, then the inner nodes are recombined
 * children first (reverse of the listing order), each recombination's loops shared by the team. */
static void karatsuba_parallel(const uint64_t *a, const uint64_t *b, long n, uint64_t *out, int depth)
{
    long max_leaves = 1;
    for (int d = 0; d < depth; d++) max_leaves *= 3;
    node_t *nodes = xmalloc(sizeof(node_t) * max_leaves);
    leaf_t *leaves = xmalloc(sizeof(leaf_t) * max_leaves);
    long nnodes = 0, nleaves = 0, max_n = 1;
    unroll(a, b, n, out, depth, nodes, &nnodes, leaves, &nleaves);
    for (long t = 0; t < nleaves; t++)
        if (leaves[t].n > max_n) max_n = leaves[t].n;

    #pragma omp parallel
    {
        uint64_t *scratch = xmalloc(sizeof(uint64_t) * scratch_size(max_n));
        #pragma omp for schedule(dynamic, 1)
        for (long t = 0; t < nleaves; t++) karatsuba(leaves[t].a, leaves[t].b, leaves[t].n, leaves[t].out, scratch);
        free(scratch);

        for (long k = nnodes - 1; k >= 0; k--) {
            long m = nodes[k].m, h = nodes[k].h;
            uint64_t *o = nodes[k].out, *z1 = nodes[k].z1;
            #pragma omp for schedule(static)
            for (long i = 0; i < 2 * h; i++) {
                uint64_t low = i < 2 * m ? o[i] : 0;
                z1[i] -= low + o[2 * m + i];
            }
            #pragma omp for schedule(static)
            for (long i = 0; i < 2 * h; i++) o[m + i] += z1[i];
        }
    }
    for (long k = 0; k < nnodes; k++) {
        free(nodes[k].z1);
        free(nodes[k].sums);
    }
    free(nodes);
    free(leaves);
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
    uint64_t *a = xmalloc(sizeof(uint64_t) * n);
    uint64_t *b = xmalloc(sizeof(uint64_t) * n);
    uint64_t *c = xmalloc(sizeof(uint64_t) * 2 * n);
    random_number(a, n, ndigits);
    random_number(b, n, ndigits);

    /* Unroll until there are at least eight leaf products per thread. */
    int nthreads = omp_get_max_threads(), depth = 0;
    for (long leaves = 1; nthreads > 1 && leaves < 8L * nthreads; leaves *= 3) depth++;
    karatsuba_parallel(a, b, n, c, depth);

    uint64_t carry = 0;
    for (long i = 0; i < 2 * n; i++) {
        uint64_t v = c[i] + carry;
        c[i] = v % BASE;
        carry = v / BASE;
    }
    long len = 2 * n;
    while (len > 1 && c[len - 1] == 0) len--;

    uint64_t hash = 0, digit_sum = 0;
    #pragma omp parallel for schedule(static) reduction(+:hash, digit_sum)
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
    return 0;
}
