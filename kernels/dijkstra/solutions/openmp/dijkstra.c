/* OpenMP single-source shortest paths by delta-stepping (Meyer and Sanders), the standard parallel
 * replacement for Dijkstra's priority queue. Vertices are kept in buckets of width DELTA by tentative
 * distance; the lowest non-empty bucket is settled in phases that relax the light edges (w <= DELTA)
 * of all its vertices in parallel, vertices whose distance drops into the same bucket forming the
 * next phase; then the heavy edges of every vertex settled in the bucket are relaxed once. Distances
 * are lowered with an atomic compare-and-swap minimum; each thread appends the vertices it improved
 * to its own bucket lists, which are concatenated at the start of each phase. Shortest-path
 * distances are unique, so the output equals Dijkstra's at any thread count.
 * The graph is generated in parallel too: every vertex has its own generator stream, so the degree
 * pass, the prefix sum and the edge pass are all shared among threads. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <stdatomic.h>
#include <omp.h>

#define MAX_WEIGHT 100
#define INF INT64_MAX

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 33;
}

typedef struct { int to, w; } edge_t;
typedef struct { int *data; long size, cap; } list_t;

static void push(list_t *l, int v)
{
    if (l->size == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->data = realloc(l->data, sizeof(int) * l->cap);
        if (!l->data) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    l->data[l->size++] = v;
}

/* Lowers *p to nd if nd is smaller; true if this call lowered it. */
static int atomic_min(_Atomic int64_t *p, int64_t nd)
{
    int64_t old = atomic_load_explicit(p, memory_order_relaxed);
    while (nd < old)
        if (atomic_compare_exchange_weak_explicit(p, &old, nd, memory_order_relaxed, memory_order_relaxed)) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SEED DEGREE N\n", argv[0]);
        return 1;
    }
    uint64_t key = mix(strtoull(argv[1], NULL, 10));
    long degree = atol(argv[2]);
    long n = atol(argv[3]);
    if (degree < 1 || n < 1 || n > (1L << 31)) {
        fprintf(stderr, "need DEGREE >= 1 and 1 <= N <= 2^31\n");
        return 1;
    }
    int nthreads = omp_get_max_threads();

    /* Bucket width: about the mean weight over the mean degree, the usual choice for random graphs. */
    const int64_t delta = MAX_WEIGHT / (2 * degree) > 1 ? MAX_WEIGHT / (2 * degree) : 1;
    const int nslots = (int)(MAX_WEIGHT / delta) + 2; /* buckets reachable from the current one */

    long *offset = malloc(sizeof(long) * (n + 1));
    long *light_end = malloc(sizeof(long) * n);
    long *partial = calloc((size_t)nthreads + 1, sizeof(long));
    _Atomic int64_t *dist = malloc(sizeof(_Atomic int64_t) * n);
    _Atomic int *phase_mark = malloc(sizeof(_Atomic int) * n);
    _Atomic int *bucket_mark = malloc(sizeof(_Atomic int) * n);
    list_t *local = calloc((size_t)nthreads * nslots, sizeof(list_t)); /* local[t * nslots + slot] */
    list_t *settled = calloc((size_t)nthreads, sizeof(list_t));
    long *part_off = calloc((size_t)nthreads + 1, sizeof(long));
    if (!offset || !light_end || !partial || !dist || !phase_mark || !bucket_mark || !local || !settled || !part_off) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    edge_t *edges = NULL;
    int *frontier = NULL;
    long frontier_cap = 0, frontier_size = 0, settled_size = 0; /* separate: read after a barrier, written in a later single */
    long m = 0;
    int64_t bucket = 0;
    int done = 0, phase = 0;

    #pragma omp parallel num_threads(nthreads)
    {
        int tid = omp_get_thread_num(), nt = omp_get_num_threads();

        /* Graph: degrees, prefix sum over per-thread blocks, then edges (light first, heavy from the end). */
        long v0 = n * tid / nt, v1 = n * (tid + 1) / nt, run = 0;
        for (long v = v0; v < v1; v++) {
            uint64_t s = mix(key ^ (uint64_t)v);
            run += 1 + (long)(lcg_next(&s) % (uint64_t)(2 * degree - 1));
            offset[v + 1] = run;
        }
        partial[tid + 1] = run;
        #pragma omp barrier
        #pragma omp single
        {
            for (int t = 0; t < nt; t++) partial[t + 1] += partial[t];
            offset[0] = 0;
            m = partial[nt];
            edges = malloc(sizeof(edge_t) * (m > 0 ? m : 1));
            if (!edges) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
        }
        for (long v = v0; v < v1; v++) offset[v + 1] += partial[tid];
        #pragma omp barrier
        for (long v = v0; v < v1; v++) {
            uint64_t s = mix(key ^ (uint64_t)v);
            lcg_next(&s);
            long lo = offset[v], hi = offset[v + 1] - 1;
            for (long e = offset[v]; e < offset[v + 1]; e++) {
                int to = (int)(lcg_next(&s) % (uint64_t)n);
                int w = 1 + (int)(lcg_next(&s) % MAX_WEIGHT);
                if (w <= delta) edges[lo++] = (edge_t){to, w};
                else edges[hi--] = (edge_t){to, w};
            }
            light_end[v] = lo;
            atomic_init(&dist[v], INF);
            atomic_init(&phase_mark[v], -1);
            atomic_init(&bucket_mark[v], -1);
        }
        #pragma omp barrier
        #pragma omp single
        {
            atomic_store_explicit(&dist[0], 0, memory_order_relaxed);
            push(&local[0], 0);
        }

        for (;;) {
            /* The lowest non-empty bucket; the slots hold buckets bucket .. bucket + nslots - 1. */
            #pragma omp single
            {
                int found = 0;
                for (int step = 0; step < nslots && !found; step++) {
                    int slot = (int)((bucket + step) % nslots);
                    for (int t = 0; t < nt; t++)
                        if (local[t * nslots + slot].size > 0) found = 1;
                    if (found) bucket += step;
                }
                done = !found;
            }
            if (done) break;
            const int slot = (int)(bucket % nslots);

            /* Light phases until the bucket stays empty. */
            for (;;) {
                #pragma omp single
                {
                    part_off[0] = 0;
                    for (int t = 0; t < nt; t++) part_off[t + 1] = part_off[t] + local[t * nslots + slot].size;
                    frontier_size = part_off[nt];
                    if (frontier_size > frontier_cap) {
                        frontier_cap = frontier_size + frontier_size / 2;
                        free(frontier);
                        frontier = malloc(sizeof(int) * frontier_cap);
                        if (!frontier) {
                            fprintf(stderr, "out of memory\n");
                            exit(1);
                        }
                    }
                    phase++;
                }
                if (frontier_size == 0) break;
                list_t *mine = &local[tid * nslots + slot];
                if (mine->size > 0) memcpy(frontier + part_off[tid], mine->data, sizeof(int) * mine->size);
                mine->size = 0;
                #pragma omp barrier
                #pragma omp for schedule(dynamic, 64)
                for (long i = 0; i < frontier_size; i++) {
                    int u = frontier[i];
                    int64_t du = atomic_load_explicit(&dist[u], memory_order_relaxed);
                    if (du / delta != bucket) continue;                                     /* stale entry */
                    if (atomic_exchange_explicit(&phase_mark[u], phase, memory_order_relaxed) == phase) continue; /* duplicate */
                    if (atomic_exchange_explicit(&bucket_mark[u], (int)bucket, memory_order_relaxed) != (int)bucket)
                        push(&settled[tid], u);
                    for (long e = offset[u]; e < light_end[u]; e++) {
                        int64_t nd = du + edges[e].w;
                        if (atomic_min(&dist[edges[e].to], nd)) push(&local[tid * nslots + (int)((nd / delta) % nslots)], edges[e].to);
                    }
                }
            }

            /* Heavy edges of everything settled in this bucket; they land in later buckets. */
            #pragma omp single
            {
                part_off[0] = 0;
                for (int t = 0; t < nt; t++) part_off[t + 1] = part_off[t] + settled[t].size;
                settled_size = part_off[nt];
                if (settled_size > frontier_cap) {
                    frontier_cap = settled_size + settled_size / 2;
                    free(frontier);
                    frontier = malloc(sizeof(int) * frontier_cap);
                    if (!frontier) {
                        fprintf(stderr, "out of memory\n");
                        exit(1);
                    }
                }
            }
            if (settled[tid].size > 0) memcpy(frontier + part_off[tid], settled[tid].data, sizeof(int) * settled[tid].size);
            settled[tid].size = 0;
            #pragma omp barrier
            #pragma omp for schedule(dynamic, 64)
            for (long i = 0; i < settled_size; i++) {
                int u = frontier[i];
                int64_t du = atomic_load_explicit(&dist[u], memory_order_relaxed);
                for (long e = light_end[u]; e < offset[u + 1]; e++) {
                    int64_t nd = du + edges[e].w;
                    if (atomic_min(&dist[edges[e].to], nd)) push(&local[tid * nslots + (int)((nd / delta) % nslots)], edges[e].to);
                }
            }
        }
    }

    long reachable = 0;
    uint64_t sum = 0, hash = 0;
    int64_t maxd = 0;
    #pragma omp parallel for schedule(static) reduction(+:reachable, sum, hash) reduction(max:maxd)
    for (long v = 0; v < n; v++) {
        int64_t d = atomic_load_explicit(&dist[v], memory_order_relaxed);
        if (d == INF) continue;
        reachable++;
        sum += (uint64_t)d;
        hash += (uint64_t)d * (uint64_t)(v + 1);
        if (d > maxd) maxd = d;
    }
    printf("n %ld edges %ld\n", n, m);
    printf("reachable %ld\n", reachable);
    printf("sum %llu\n", (unsigned long long)sum);
    printf("hash %016llx\n", (unsigned long long)hash);
    printf("max %lld\n", (long long)maxd);
    long probes[4] = {n > 1 ? 1 : 0, n / 3, n / 2, n - 1};
    for (int p = 0; p < 4; p++) {
        int64_t d = atomic_load_explicit(&dist[probes[p]], memory_order_relaxed);
        if (d == INF) printf("dist[%ld] inf\n", probes[p]);
        else printf("dist[%ld] %lld\n", probes[p], (long long)d);
    }
    for (int i = 0; i < nthreads * nslots; i++) free(local[i].data);
    for (int t = 0; t < nthreads; t++) free(settled[t].data);
    free(local);
    free(settled);
    free(frontier);
    free(part_off);
    free(partial);
    free(offset);
    free(light_end);
    free(edges);
    free((void *)dist);
    free((void *)phase_mark);
    free((void *)bucket_mark);
    return 0;
}
