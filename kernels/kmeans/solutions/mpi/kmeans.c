/* MPI K-Means: rank 0 generates the points and scatters contiguous blocks of them (counts and
 * displacements, so N need not divide evenly); every rank holds all centroids. Each iteration a rank
 * assigns its own points and accumulates per-cluster integer sums, which one MPI_Allreduce combines;
 * every rank then computes the same new centroids. Integer sums make the result independent of the
 * rank count. Rank 0 prints. */
#include <stdio.h>
#include <stdlib.h>
#include <mpi.h>

static unsigned long long state;

static unsigned next_u32(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(state >> 33);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 6) {
        if (rank == 0) fprintf(stderr, "usage: %s N D K ITERATIONS SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    int n = atoi(argv[1]);
    int dim = atoi(argv[2]);
    int k = atoi(argv[3]);
    int iterations = atoi(argv[4]);
    state = strtoull(argv[5], NULL, 10);
    if (n < 1 || dim < 1 || k < 1 || k > n || iterations < 1) {
        if (rank == 0) fprintf(stderr, "need N >= K >= 1, D >= 1, ITERATIONS >= 1\n");
        MPI_Finalize();
        return 1;
    }

    /* Block distribution of points: rank r owns [first[r], first[r+1]). */
    int *counts = malloc(sizeof(int) * size);
    int *displs = malloc(sizeof(int) * size);
    int *first = malloc(sizeof(int) * (size + 1));
    for (int r = 0; r <= size; r++) first[r] = (int)((long long)n * r / size);
    for (int r = 0; r < size; r++) {
        counts[r] = (first[r + 1] - first[r]) * dim;
        displs[r] = first[r] * dim;
    }
    int lo = first[rank], my_n = first[rank + 1] - first[rank];

    size_t kd = (size_t)k * dim;
    size_t buf_len = kd + 2 * (size_t)k + 1; /* sums, sums of squares, counts, changed */
    int *x = malloc(sizeof(int) * ((size_t)my_n * dim + 1));
    int *label = malloc(sizeof(int) * ((size_t)my_n + 1));
    double *centroid = malloc(sizeof(double) * kd);
    long long *local = malloc(sizeof(long long) * buf_len);
    long long *global = malloc(sizeof(long long) * buf_len);
    if (!counts || !displs || !first || !x || !label || !centroid || !local || !global) {
        fprintf(stderr, "out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }

    int *all = NULL;
    if (rank == 0) {
        int *blob = malloc(sizeof(int) * kd);
        all = malloc(sizeof(int) * (size_t)n * dim);
        if (!blob || !all) {
            fprintf(stderr, "out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (size_t i = 0; i < kd; i++) blob[i] = (int)(next_u32() % 1000);
        for (int i = 0; i < n; i++) {
            int b = (int)(next_u32() % (unsigned)k);
            for (int d = 0; d < dim; d++)
                all[(size_t)i * dim + d] = blob[(size_t)b * dim + d] + (int)(next_u32() % 101) - 50;
        }
        for (int c = 0; c < k; c++) {
            size_t p = (size_t)((long long)c * n / k);
            for (int d = 0; d < dim; d++) centroid[(size_t)c * dim + d] = (double)all[p * dim + d];
        }
        free(blob);
    }
    MPI_Scatterv(all, counts, displs, MPI_INT, x, my_n * dim, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Bcast(centroid, (int)kd, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    free(all);

    long long *sum = global, *sumsq = global + kd, *count = global + kd + k;
    for (int i = 0; i < my_n; i++) label[i] = -1;
    for (int it = 0; it < iterations; it++) {
        long long *my_sum = local, *my_sq = local + kd, *my_count = local + kd + k;
        long long changed = 0;
        for (size_t j = 0; j < buf_len; j++) local[j] = 0;
        for (int i = 0; i < my_n; i++) {
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
        local[buf_len - 1] = changed;
        MPI_Allreduce(local, global, (int)buf_len, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) continue;
            for (int d = 0; d < dim; d++)
                centroid[(size_t)c * dim + d] = (double)sum[(size_t)c * dim + d] / (double)count[c];
        }
    }
    long long changed = global[buf_len - 1];

    unsigned long long my_label_check = 0, label_check = 0;
    for (int i = 0; i < my_n; i++)
        my_label_check += (unsigned long long)(label[i] + 1) * (unsigned long long)((lo + i) % 9973 + 1);
    MPI_Reduce(&my_label_check, &label_check, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        double inertia = 0.0;
        long long min_size = count[0], max_size = count[0], empty = 0;
        unsigned long long size_check = 0;
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
    }
    free(counts);
    free(displs);
    free(first);
    free(x);
    free(label);
    free(centroid);
    free(local);
    free(global);
    MPI_Finalize();
    return 0;
}
