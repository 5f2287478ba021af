/* MPI Karatsuba multiplication. The top `depth` levels of the Karatsuba recursion are unrolled into
 * 3^depth independent leaf products (at least about eight per rank). Every rank generates the two
 * inputs itself (the generator is cheap and deterministic, cheaper than broadcasting them), walks
 * the top of the tree forming the operand sums (a0 + a1, b0 + b1) only for subtrees that hold its
 * leaves, and multiplies its contiguous range of leaves, chosen so that every rank gets about the
 * same n^1.585 work. The leaf products are gathered on rank 0 (MPI_Gatherv, counts and
 * displacements per rank), which recombines the tree (z1 - z0 - z2 at each level), propagates the
 * carries and prints. Other ranks print nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <mpi.h>

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
        MPI_Abort(MPI_COMM_WORLD, 1);
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

static int is_leaf(long n, int depth) { return depth == 0 || n <= 4 * CUTOFF; }

/* Lists the leaf sizes of the unrolled tree in traversal order (z0, z2, z1 at every node). */
static void list_leaves(long n, int depth, long *sizes, long *count)
{
    if (is_leaf(n, depth)) {
        if (sizes) sizes[*count] = n;
        (*count)++;
        return;
    }
    long m = n / 2, h = n - m;
    list_leaves(m, depth - 1, sizes, count);
    list_leaves(h, depth - 1, sizes, count);
    list_leaves(h, depth - 1, sizes, count);
}

static long leaves_below(long n, int depth)
{
    long count = 0;
    list_leaves(n, depth, NULL, &count);
    return count;
}

/* Multiplies the leaves with index in [lo, hi); results go one after another into out. */
static void compute_leaves(const uint64_t *a, const uint64_t *b, long n, int depth,
                           long *index, long lo, long hi, uint64_t **out, uint64_t *scratch)
{
    if (is_leaf(n, depth)) {
        if (*index >= lo && *index < hi) {
            karatsuba(a, b, n, *out, scratch);
            *out += 2 * n;
        }
        (*index)++;
        return;
    }
    long below = leaves_below(n, depth);
    if (*index >= hi || *index + below <= lo) { /* none of this subtree is ours */
        *index += below;
        return;
    }
    long m = n / 2, h = n - m;
    compute_leaves(a, b, m, depth - 1, index, lo, hi, out, scratch);
    compute_leaves(a + m, b + m, h, depth - 1, index, lo, hi, out, scratch);
    if (*index >= hi || *index + leaves_below(h, depth - 1) <= lo) {
        *index += leaves_below(h, depth - 1);
        return;
    }
    uint64_t *sa = xmalloc(sizeof(uint64_t) * 2 * h), *sb = sa + h;
    for (long i = 0; i < h; i++) {
        sa[i] = a[m + i] + (i < m ? a[i] : 0);
        sb[i] = b[m + i] + (i < m ? b[i] : 0);
    }
    compute_leaves(sa, sb, h, depth - 1, index, lo, hi, out, scratch);
    free(sa);
}

/* Rank 0: rebuilds the product from the gathered leaf products (read in order from *leaf). */
static void combine(long n, int depth, const uint64_t **leaf, uint64_t *out)
{
    if (is_leaf(n, depth)) {
        memcpy(out, *leaf, sizeof(uint64_t) * 2 * n);
        *leaf += 2 * n;
        return;
    }
    long m = n / 2, h = n - m;
    uint64_t *z1 = xmalloc(sizeof(uint64_t) * 2 * h);
    combine(m, depth - 1, leaf, out);
    combine(h, depth - 1, leaf, out + 2 * m);
    combine(h, depth - 1, leaf, z1);
    for (long i = 0; i < 2 * m; i++) z1[i] -= out[i];
    for (long i = 0; i < 2 * h; i++) z1[i] -= out[2 * m + i];
    for (long i = 0; i < 2 * h; i++) out[m + i] += z1[i];
    free(z1);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 3) {
        if (rank == 0) fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long ndigits = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (ndigits < 1 || ndigits > 60000000) {
        if (rank == 0) fprintf(stderr, "N must be between 1 and 60000000\n");
        MPI_Finalize();
        return 1;
    }
    long n = (ndigits + BASE_DIGITS - 1) / BASE_DIGITS;
    uint64_t *a = xmalloc(sizeof(uint64_t) * n);
    uint64_t *b = xmalloc(sizeof(uint64_t) * n);
    random_number(a, n, ndigits);
    random_number(b, n, ndigits);

    /* The unrolled tree and each rank's share of its leaves, balanced by n^log2(3) cost. */
    int depth = 0;
    for (long leaves = 1; leaves < 8L * size; leaves *= 3) depth++;
    long nleaves = leaves_below(n, depth), count = 0;
    long *leaf_size = xmalloc(sizeof(long) * nleaves);
    list_leaves(n, depth, leaf_size, &count);
    double total_cost = 0.0;
    for (long t = 0; t < nleaves; t++) total_cost += pow((double)leaf_size[t], 1.585);
    long *first = xmalloc(sizeof(long) * (size + 1));
    int *counts = xmalloc(sizeof(int) * size), *displs = xmalloc(sizeof(int) * size);
    {
        double cost = 0.0;
        int r = 0;
        first[0] = 0;
        for (long t = 0; t < nleaves; t++) {
            while (r + 1 < size && cost >= total_cost * (r + 1) / size) first[++r] = t;
            cost += pow((double)leaf_size[t], 1.585);
        }
        while (r + 1 <= size) first[++r] = nleaves;
        long disp = 0;
        for (int q = 0; q < size; q++) {
            long words = 0;
            for (long t = first[q]; t < first[q + 1]; t++) words += 2 * leaf_size[t];
            counts[q] = (int)words;
            displs[q] = (int)disp;
            disp += words;
        }
    }

    long max_leaf = 1;
    for (long t = first[rank]; t < first[rank + 1]; t++)
        if (leaf_size[t] > max_leaf) max_leaf = leaf_size[t];
    uint64_t *mine = xmalloc(sizeof(uint64_t) * (counts[rank] > 0 ? counts[rank] : 1));
    uint64_t *scratch = xmalloc(sizeof(uint64_t) * scratch_size(max_leaf));
    uint64_t *cursor = mine;
    long index = 0;
    compute_leaves(a, b, n, depth, &index, first[rank], first[rank + 1], &cursor, scratch);
    free(scratch);

    uint64_t *all = NULL;
    if (rank == 0) all = xmalloc(sizeof(uint64_t) * ((long)displs[size - 1] + counts[size - 1]));
    MPI_Gatherv(mine, counts[rank], MPI_UINT64_T, all, counts, displs, MPI_UINT64_T, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        uint64_t *c = xmalloc(sizeof(uint64_t) * 2 * n);
        const uint64_t *leaf = all;
        combine(n, depth, &leaf, c);
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
        free(c);
        free(all);
    }
    free(mine);
    free(leaf_size);
    free(first);
    free(counts);
    free(displs);
    free(a);
    free(b);
    MPI_Finalize();
    return 0;
}
