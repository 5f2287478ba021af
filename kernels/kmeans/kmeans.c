/* K-Means clustering (Lloyd's algorithm) of seeded pseudo-random points.
 * Usage: kmeans N D K ITERATIONS SEED
 *   N points with D integer coordinates are drawn around K hidden blob centres; K centroids start at
 *   the points with index c*N/K; each iteration assigns every point to its nearest centroid (squared
 *   Euclidean distance, ties to the lowest index), then moves every centroid to the mean of its points
 *   (an empty cluster keeps its centroid).
 * Coordinates are integers and the per-cluster sums are kept in 64-bit integers, so the means do not
 * depend on the order in which points are added. Prints cluster-size and label checksums, the inertia
 * of the final assignment about the final centroids, and a few centroid coordinates. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state;

static unsigned next_u32(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(state >> 33);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s N D K ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int dim = atoi(argv[2]);
    int k = atoi(argv[3]);
    int iterations = atoi(argv[4]);
    state = strtoull(argv[5], NULL, 10);
    if (n < 1 || dim < 1 || k < 1 || k > n || iterations < 1) {
        fprintf(stderr, "need N >= K >= 1, D >= 1, ITERATIONS >= 1\n");
        return 1;
    }

    int *x = malloc(sizeof(int) * (size_t)n * dim);
    int *blob = malloc(sizeof(int) * (size_t)k * dim);
    int *label = malloc(sizeof(int) * (size_t)n);
    double *centroid = malloc(sizeof(double) * (size_t)k * dim);
    long long *sum = malloc(sizeof(long long) * (size_t)k * dim);
    long long *sumsq = malloc(sizeof(long long) * (size_t)k);
    long long *count = malloc(sizeof(long long) * (size_t)k);
    if (!x || !blob || !label || !centroid || !sum || !sumsq || !count) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    /* Data: K hidden blob centres in [0,1000)^D, each point a random blob's centre plus noise in [-50,50]. */
    for (size_t i = 0; i < (size_t)k * dim; i++) blob[i] = (int)(next_u32() % 1000);
    for (int i = 0; i < n; i++) {
        int b = (int)(next_u32() % (unsigned)k);
        for (int d = 0; d < dim; d++)
            x[(size_t)i * dim + d] = blob[(size_t)b * dim + d] + (int)(next_u32() % 101) - 50;
    }
    for (int c = 0; c < k; c++) {
        size_t p = (size_t)((long long)c * n / k);
        for (int d = 0; d < dim; d++) centroid[(size_t)c * dim + d] = (double)x[p * dim + d];
    }
    for (int i = 0; i < n; i++) label[i] = -1;

    long long changed = 0;
    for (int it = 0; it < iterations; it++) {
        /* Assignment step. */
        changed = 0;
        for (int i = 0; i < n; i++) {
            const int *xi = x + (size_t)i * dim;
            int best = 0;
            double best_dist = 0.0;
            for (int c = 0; c < k; c++) {
                const double *cc = centroid + (size_t)c * dim;
                double dist = 0.0;
                for (int d = 0; d < dim; d++) {
                    double diff = (double)xi[d] - cc[d];
                    dist += diff * diff;
                }
                if (c == 0 || dist < best_dist) {
                    best_dist = dist;
                    best = c;
                }
            }
            if (label[i] != best) changed++;
            label[i] = best;
        }

        /* Update step: exact integer sums per cluster. */
        for (size_t j = 0; j < (size_t)k * dim; j++) sum[j] = 0;
        for (int c = 0; c < k; c++) count[c] = sumsq[c] = 0;
        for (int i = 0; i < n; i++) {
            const int *xi = x + (size_t)i * dim;
            long long *s = sum + (size_t)label[i] * dim;
            long long sq = 0;
            for (int d = 0; d < dim; d++) {
                s[d] += xi[d];
                sq += (long long)xi[d] * xi[d];
            }
            sumsq[label[i]] += sq;
            count[label[i]]++;
        }
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) continue;
            for (int d = 0; d < dim; d++)
                centroid[(size_t)c * dim + d] = (double)sum[(size_t)c * dim + d] / (double)count[c];
        }
    }

    /* Inertia of the final assignment about the final centroids: sum over clusters of
     * sum|x|^2 - |sum x|^2 / count, from the exact integer sums. */
    double inertia = 0.0;
    long long min_size = count[0], max_size = count[0], empty = 0;
    unsigned long long size_check = 0, label_check = 0;
    for (int c = 0; c < k; c++) {
        if (count[c] < min_size) min_size = count[c];
        if (count[c] > max_size) max_size = count[c];
        if (count[c] == 0) empty++;
        size_check += (unsigned long long)count[c] * (unsigned long long)(c + 1) * (unsigned long long)(c + 7);
        if (count[c] == 0) continue;
        double s2 = 0.0;
        for (int d = 0; d < dim; d++) {
            double s = (double)sum[(size_t)c * dim + d];
            s2 += s * s;
        }
        inertia += (double)sumsq[c] - s2 / (double)count[c];
    }
    for (int i = 0; i < n; i++)
        label_check += (unsigned long long)(label[i] + 1) * (unsigned long long)(i % 9973 + 1);
    double centroid_sum = 0.0;
    for (size_t j = 0; j < (size_t)k * dim; j++) centroid_sum += centroid[j];

    printf("points %d dims %d clusters %d iterations %d\n", n, dim, k, iterations);
    printf("changed_last_iteration %lld\n", changed);
    printf("sizes min %lld max %lld empty %lld checksum %llu\n", min_size, max_size, empty, size_check);
    printf("labels checksum %llu\n", label_check);
    printf("inertia %.10e\n", inertia);
    printf("centroid_sum %.10e\n", centroid_sum);
    int probes[3] = {0, k / 2, k - 1};
    for (int p = 0; p < 3; p++) {
        int c = probes[p];
        printf("centroid[%d]", c);
        for (int d = 0; d < dim && d < 4; d++) printf(" %.10e", centroid[(size_t)c * dim + d]);
        printf("\n");
    }
    free(x);
    free(blob);
    free(label);
    free(centroid);
    free(sum);
    free(sumsq);
    free(count);
    return 0;
}
