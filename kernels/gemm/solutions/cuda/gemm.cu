/* CUDA GEMM: classic shared-memory tiling. Each 16 x 16 thread block computes a 16 x 16 tile of C;
 * it walks along k in steps of 16, staging a tile of A and a tile of B in shared memory (coalesced
 * loads, zero padding at the matrix edges), so every element of A and B is read from global memory
 * n / 16 times instead of n times. Every thread accumulates its entry over k in ascending order.
 * C comes back to the host, which forms the checksum in the sequential order. */
#include <stdio.h>
#include <stdlib.h>
#include <cuda_runtime.h>

#define CHECK(call)                                                                         \
    do {                                                                                    \
        cudaError_t err_ = (call);                                                          \
        if (err_ != cudaSuccess) {                                                          \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(err_), __FILE__, \
                    __LINE__);                                                              \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

#define TILE 16

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

__global__ void gemm_kernel(int n, const double *__restrict__ a, const double *__restrict__ b,
                            double *__restrict__ c)
{
    __shared__ double as[TILE][TILE];
    __shared__ double bs[TILE][TILE];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * TILE + ty;
    int col = blockIdx.x * TILE + tx;
    double sum = 0.0;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        as[ty][tx] = (row < n && k0 + tx < n) ? a[(size_t)row * n + k0 + tx] : 0.0;
        bs[ty][tx] = (k0 + ty < n && col < n) ? b[(size_t)(k0 + ty) * n + col] : 0.0;
        __syncthreads();
        int kmax = n - k0 < TILE ? n - k0 : TILE;
        for (int k = 0; k < kmax; k++) sum += as[ty][k] * bs[k][tx];
        __syncthreads();
    }
    if (row < n && col < n) c[(size_t)row * n + col] = sum;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    if (n < 1) {
        fprintf(stderr, "N must be positive\n");
        return 1;
    }
    size_t bytes = sizeof(double) * n * n;
    double *a = (double *)malloc(bytes);
    double *b = (double *)malloc(bytes);
    double *c = (double *)malloc(bytes);
    if (!a || !b || !c) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n * n; i++) a[i] = next_value();
    for (int i = 0; i < n * n; i++) b[i] = next_value();

    double *da, *db, *dc;
    CHECK(cudaMalloc(&da, bytes));
    CHECK(cudaMalloc(&db, bytes));
    CHECK(cudaMalloc(&dc, bytes));
    CHECK(cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice));

    dim3 block(TILE, TILE);
    dim3 grid((n + TILE - 1) / TILE, (n + TILE - 1) / TILE);
    gemm_kernel<<<grid, block>>>(n, da, db, dc);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost));

    double checksum = 0.0;
    for (int i = 0; i < n * n; i++) checksum += c[i];
    printf("n %d\n", n);
    printf("checksum %.10e\n", checksum);
    printf("c[0][0] %.10e\n", c[0]);
    printf("c[n/2][n/3] %.10e\n", c[(n / 2) * n + n / 3]);
    printf("c[n-1][n-1] %.10e\n", c[n * n - 1]);
    CHECK(cudaFree(da));
    CHECK(cudaFree(db));
    CHECK(cudaFree(dc));
    free(a);
    free(b);
    free(c);
    return 0;
}
