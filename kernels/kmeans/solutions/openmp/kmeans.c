/* OpenMP K-Means: one parallel region for the whole run. Each iteration the points are shared among
 * threads (static schedule); a thread assigns its points to their nearest centroids and adds them into
 * its own private integer accumulators, which are then merged cluster by cluster in parallel. The sums
 * are 64-bit integers, so the centroids, and hence the whole output, are identical at any thread count. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

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

    int nthreads = omp_get_max_threads();
    size_t kd = (size_t)k * dim;
    size_t stride = kd + 2 * (size_t)k + 8; /* per-thread block: sums, sum of squares, counts (+ padding) */
    int *x = malloc(sizeof(int) * (size_t)n * dim);
    int *blob = malloc(sizeof(int) * kd);
    int *label = malloc(sizeof(int) * (size_t)n);
    double *centroid = malloc(sizeof(double) * kd);
    long long *sum = malloc(sizeof(long long) * kd);
    long long *sumsq = malloc(sizeof(long long) * (size_t)k);
    long long *count = malloc(sizeof(long long) * (size_t)k);
    long long *local = malloc(sizeof(long long) * stride * nthreads);
    if (!x || !blob || !label || !centroid || !sum || !sumsq || !count || !local) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    for (size_t i = 0; i < kd; i++) blob[i] = (int)(next_u32() % 1000);
    for (int i = 0; i < n; i++) {
        int b = (int)(next_u32() % (unsigned)k);
        for (int d = 0; d < dim; d++)
            x[(size_t)i * dim + d] = blob[(size_t)b * dim + d] + (int)(next_u32() % 101) - 50;
    }
    for (int c = 0; c < k; c++) {
        size_t p = (size_t)((long long)c * n / k);
        for (int d = 0; d < dim; d++) centroid[(size_t)c * dim + d] = (double)x[p * dim + d];
    }

    long long changed = 0;
    #pragma omp parallel num_threads(nthreads)
    {
        int t = omp_get_thread_num();
        int team = omp_get_num_threads();
        long long *my_sum = local + stride * t;
        long long *my_sq = my_sum + kd;
        long long *my_count = my_sq + k;

        #pragma omp for schedule(static)
        for (int i = 0; i < n; i++) label[i] = -1;

        for (int it = 0; it < iterations; it++) {
            for (size_t j = 0; j < kd; j++) my_sum[j] = 0;
            for (int c = 0; c < k; c++) my_sq[c] = my_count[c] = 0;
            #pragma omp single
            changed = 0;

            #pragma omp for schedule(static) reduction(+:changed)
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
                long long *s = my_sum + (size_t)best * dim;
                long long sq = 0;
                for (int d = 0; d < dim; d++) {
                    s[d] += xi[d];
                    sq += (long long)xi[d] * xi[d];
                }
                my_sq[best] += sq;
                my_count[best]++;
            }
            /* implicit barrier: all private accumulators are complete */

            #pragma omp for schedule(static)
            for (int c = 0; c < k; c++) {
                long long cnt = 0, sq = 0;
                for (int u = 0; u < team; u++) {
                    cnt += local[stride * u + kd + k + c];
                    sq += local[stride * u + kd + c];
                }
                count[c] = cnt;
                sumsq[c] = sq;
                for (int d = 0; d < dim; d++) {
                    long long s = 0;
                    for (int u = 0; u < team; u++) s += local[stride * u + (size_t)c * dim + d];
                    sum[(size_t)c * dim + d] = s;
                    if (cnt > 0) centroid[(size_t)c * dim + d] = (double)s / (double)cnt;
                }
            }
            /* implicit barrier: new centroids visible before the next assignment */
        }
    }

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
    for (size_t j = 0; j < kd; j++) centroid_sum += centroid[j];

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
    free(local);
    return 0;
}
