/* CUDA GEMV power iteration: A stays on the device for the whole run. y = A x uses one warp per row
 * (lanes stride along the row, so loads of the row-major matrix are coalesced) with a shuffle
 * reduction; a single-block kernel then finds max |y_i| by a shared-memory tree (exact) and writes
 * x = y / m. Only the final x and m come back to the host. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
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

#define WARPS_PER_BLOCK 8
#define NORM_THREADS 1024

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

__global__ void gemv_kernel(int n, const double *__restrict__ a, const double *__restrict__ x,
                            double *__restrict__ y)
{
    int row = blockIdx.x * WARPS_PER_BLOCK + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= n) return; /* the whole warp leaves together */
    const double *r = a + (size_t)row * n;
    double s = 0.0;
    for (int j = lane; j < n; j += 32) s += r[j] * x[j];
    for (int offset = 16; offset > 0; offset >>= 1) s += __shfl_down_sync(0xffffffffu, s, offset);
    if (lane == 0) y[row] = s;
}

/* launched with one block of NORM_THREADS threads */
__global__ void normalise_kernel(int n, const double *__restrict__ y, double *__restrict__ x,
                                 double *scale_out)
{
    __shared__ double part[NORM_THREADS];
    int t = threadIdx.x;
    double m = 0.0;
    for (int i = t; i < n; i += NORM_THREADS) m = fmax(m, fabs(y[i]));
    part[t] = m;
    __syncthreads();
    for (int s = NORM_THREADS / 2; s > 0; s >>= 1) {
        if (t < s) part[t] = fmax(part[t], part[t + s]);
        __syncthreads();
    }
    double scale = part[0];
    for (int i = t; i < n; i += NORM_THREADS) x[i] = y[i] / scale;
    if (t == 0) *scale_out = scale;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int iterations = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || iterations < 1) {
        fprintf(stderr, "N and ITERATIONS must be positive\n");
        return 1;
    }
    double *a = (double *)malloc(sizeof(double) * n * n);
    double *x = (double *)malloc(sizeof(double) * n);
    if (!a || !x) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < (long)n * n; i++) a[i] = next_value();
    for (int i = 0; i < n; i++) x[i] = next_value();

    double *da, *dx, *dy, *dscale;
    CHECK(cudaMalloc(&da, sizeof(double) * n * n));
    CHECK(cudaMalloc(&dx, sizeof(double) * n));
    CHECK(cudaMalloc(&dy, sizeof(double) * n));
    CHECK(cudaMalloc(&dscale, sizeof(double)));
    CHECK(cudaMemcpy(da, a, sizeof(double) * n * n, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dx, x, sizeof(double) * n, cudaMemcpyHostToDevice));

    int blocks = (n + WARPS_PER_BLOCK - 1) / WARPS_PER_BLOCK;
    for (int it = 0; it < iterations; it++) {
        gemv_kernel<<<blocks, WARPS_PER_BLOCK * 32>>>(n, da, dx, dy);
        normalise_kernel<<<1, NORM_THREADS>>>(n, dy, dx, dscale);
    }
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    double scale;
    CHECK(cudaMemcpy(x, dx, sizeof(double) * n, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(&scale, dscale, sizeof(double), cudaMemcpyDeviceToHost));

    double sum = 0.0;
    for (int i = 0; i < n; i++) sum += x[i];
    printf("n %d iterations %d\n", n, iterations);
    printf("scale %.10e\n", scale);
    printf("sum-x %.10e\n", sum);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    CHECK(cudaFree(da));
    CHECK(cudaFree(dx));
    CHECK(cudaFree(dy));
    CHECK(cudaFree(dscale));
    free(a);
    free(x);
    return 0;
}
