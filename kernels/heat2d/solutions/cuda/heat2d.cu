/* CUDA Jacobi heat transfer: both grids live on the device for the whole run; each iteration is one
 * launch of a 2-D grid of 32 x 8 thread blocks, one thread per interior point (threads along x read
 * consecutive addresses, so loads and stores are coalesced; neighbouring rows are shared through the
 * cache), and the two grids are swapped by pointer between launches. The final grid comes back to
 * the host, which sums it in the sequential order. */
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

__global__ void sweep_kernel(int n, const double *__restrict__ u, double *__restrict__ v)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i < 1 || i >= n - 1 || j < 1 || j >= n - 1) return;
    size_t k = (size_t)i * n + j;
    v[k] = 0.25 * (u[k - n] + u[k + n] + u[k - 1] + u[k + 1]);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s N ITERATIONS\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    if (n < 1) {
        fprintf(stderr, "N must be positive\n");
        return 1;
    }
    size_t bytes = sizeof(double) * n * n;
    double *u = (double *)calloc((size_t)n * n, sizeof(double));
    if (!u) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int j = 0; j < n; j++) u[j] = 100.0;

    double *du, *dv;
    CHECK(cudaMalloc(&du, bytes));
    CHECK(cudaMalloc(&dv, bytes));
    /* both grids start equal, so the fixed edges are right in whichever one is read last */
    CHECK(cudaMemcpy(du, u, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dv, u, bytes, cudaMemcpyHostToDevice));

    dim3 block(32, 8);
    dim3 grid((n + block.x - 1) / block.x, (n + block.y - 1) / block.y);
    for (int it = 0; it < iterations; it++) {
        sweep_kernel<<<grid, block>>>(n, du, dv);
        double *t = du; du = dv; dv = t;
    }
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(u, du, bytes, cudaMemcpyDeviceToHost));

    double total = 0.0;
    for (int i = 0; i < n * n; i++) total += u[i];
    printf("n %d iterations %d\n", n, iterations);
    printf("total %.10e\n", total);
    printf("centre %.10e\n", u[(n / 2) * n + n / 2]);
    printf("near-top %.10e\n", u[1 * n + n / 2]);
    CHECK(cudaFree(du));
    CHECK(cudaFree(dv));
    free(u);
    return 0;
}
