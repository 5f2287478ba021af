/* Dijkstra single-source shortest paths on a seeded random directed graph.
 * Usage: dijkstra SEED DEGREE N. The graph has N vertices; vertex v has between 1 and 2*DEGREE-1
 * out-edges (DEGREE on average) to uniformly random targets, with integer weights 1..100, all drawn
 * from a generator keyed by (SEED, v). Dijkstra's algorithm with an indexed binary heap
 * (decrease-key) computes the distances from vertex 0. Prints the edge count, the number of
 * reachable vertices, the sum, a position-weighted hash and the maximum of the distances, and the
 * distances of a few vertices. Distances are exact integers. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define MAX_WEIGHT 100
#define INF INT64_MAX

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* One LCG stream per vertex, started from a hash of (seed, vertex). */
static uint64_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 33;
}

static long *heap;     /* heap[k] = vertex */
static long *where;    /* position of a vertex in the heap, -1 if not in it */
static int64_t *dist;

static void heap_swap(long i, long j)
{
    long t = heap[i]; heap[i] = heap[j]; heap[j] = t;
    where[heap[i]] = i;
    where[heap[j]] = j;
}

static void sift_up(long i)
{
    while (i > 0) {
        long p = (i - 1) / 2;
        if (dist[heap[p]] <= dist[heap[i]]) break;
        heap_swap(i, p);
        i = p;
    }
}

static void sift_down(long i, long size)
{
    for (;;) {
        long l = 2 * i + 1, r = l + 1, m = i;
        if (l < size && dist[heap[l]] < dist[heap[m]]) m = l;
        if (r < size && dist[heap[r]] < dist[heap[m]]) m = r;
        if (m == i) break;
        heap_swap(i, m);
        i = m;
    }
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

    /* Build the graph in compressed sparse row form. */
    long *offset = malloc(sizeof(long) * (n + 1));
    if (!offset) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    offset[0] = 0;
    for (long v = 0; v < n; v++) {
        uint64_t s = mix(key ^ (uint64_t)v);
        offset[v + 1] = offset[v] + 1 + (long)(lcg_next(&s) % (uint64_t)(2 * degree - 1));
    }
    long m = offset[n];
    int *target = malloc(sizeof(int) * m);
    int *weight = malloc(sizeof(int) * m);
    dist = malloc(sizeof(int64_t) * n);
    heap = malloc(sizeof(long) * n);
    where = malloc(sizeof(long) * n);
    if (!target || !weight || !dist || !heap || !where) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long v = 0; v < n; v++) {
        uint64_t s = mix(key ^ (uint64_t)v);
        lcg_next(&s); /* the degree */
        for (long e = offset[v]; e < offset[v + 1]; e++) {
            target[e] = (int)(lcg_next(&s) % (uint64_t)n);
            weight[e] = 1 + (int)(lcg_next(&s) % MAX_WEIGHT);
        }
    }

    /* Dijkstra from vertex 0. */
    for (long v = 0; v < n; v++) {
        dist[v] = INF;
        where[v] = -1;
    }
    long size = 0;
    dist[0] = 0;
    heap[size] = 0;
    where[0] = size++;
    while (size > 0) {
        long u = heap[0];
        heap_swap(0, --size);
        where[u] = -1;
        sift_down(0, size);
        for (long e = offset[u]; e < offset[u + 1]; e++) {
            long v = target[e];
            int64_t d = dist[u] + weight[e];
            if (d < dist[v]) {
                if (dist[v] == INF) {
                    heap[size] = v;
                    where[v] = size++;
                }
                dist[v] = d;
                sift_up(where[v]);
            }
        }
    }

    long reachable = 0;
    uint64_t sum = 0, hash = 0;
    int64_t maxd = 0;
    for (long v = 0; v < n; v++) {
        if (dist[v] == INF) continue;
        reachable++;
        sum += (uint64_t)dist[v];
        hash += (uint64_t)dist[v] * (uint64_t)(v + 1);
        if (dist[v] > maxd) maxd = dist[v];
    }
    printf("n %ld edges %ld\n", n, m);
    printf("reachable %ld\n", reachable);
    printf("sum %llu\n", (unsigned long long)sum);
    printf("hash %016llx\n", (unsigned long long)hash);
    printf("max %lld\n", (long long)maxd);
    long probes[4] = {n > 1 ? 1 : 0, n / 3, n / 2, n - 1};
    for (int p = 0; p < 4; p++) {
        if (dist[probes[p]] == INF) printf("dist[%ld] inf\n", probes[p]);
        else printf("dist[%ld] %lld\n", probes[p], (long long)dist[probes[p]]);
    }
    free(offset);
    free(target);
    free(weight);
    free(dist);
    free(heap);
    free(where);
    return 0;
}
