/* CUDA Jacobi: the matrix stays on the device for the whole run. Each sweep is one launch with one
 * warp per row (lanes stride along the row-major row, so loads are coalesced) and a shuffle reduction;
 * the two iterate buffers are swapped by pointer between launches. At the end one more launch forms
 * the residual vector b - A x; the host gets it back with the last two iterates and forms the norms,
 * the largest change and the checksum (O(n) work). */
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

static unsigned long long state;

static unsigned long long next_raw(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

__global__ void sweep_kernel(int n, const double *__restrict__ a, const double *__restrict__ b,
                             const double *__restrict__ x, double *__restrict__ x_new)
{
    int row = blockIdx.x * WARPS_PER_BLOCK + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= n) return; /* the whole warp leaves together */
    const double *r = a + (size_t)row * n;
    double s = 0.0;
    for (int j = lane; j < n; j += 32)
        if (j != row) s += r[j] * x[j];
    for (int offset = 16; offset > 0; offset >>= 1) s += __shfl_down_sync(0xffffffffu, s, offset);
    if (lane == 0) x_new[row] = (b[row] - s) / r[row];
}

__global__ void residual_kernel(int n, const double *__restrict__ a, const double *__restrict__ b,
                                const double *__restrict__ x, double *__restrict__ res)
{
    int row = blockIdx.x * WARPS_PER_BLOCK + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (row >= n) return;
    const double *r = a + (size_t)row * n;
    double s = 0.0;
    for (int j = lane; j < n; j += 32) s += r[j] * x[j];
    for (int offset = 16; offset > 0; offset >>= 1) s += __shfl_down_sync(0xffffffffu, s, offset);
    if (lane == 0) res[row] = b[row] - s;
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
    if (n < 2 || iterations < 1) {
        fprintf(stderr, "N must be at least 2 and ITERATIONS positive\n");
        return 1;
    }
    double *a = (double *)malloc(sizeof(double) * n * n);
    double *b = (double *)malloc(sizeof(double) * n);
    double *x = (double *)malloc(sizeof(double) * n);
    double *x_prev = (double *)malloc(sizeof(double) * n);
    double *res = (double *)malloc(sizeof(double) * n);
    if (!a || !b || !x || !x_prev || !res) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        double row_sum = 0.0;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            a[(long)i * n + j] = (double)(next_raw() % 1000) / 1000.0;
            row_sum += a[(long)i * n + j];
        }
        a[(long)i * n + i] = 1.02 * row_sum;
    }
    for (int i = 0; i < n; i++) b[i] = (double)(next_raw() % 1000) / 100.0 - 5.0;

    double *d_a, *d_b, *d_x, *d_x_new, *d_res;
    CHECK(cudaMalloc(&d_a, sizeof(double) * n * n));
    CHECK(cudaMalloc(&d_b, sizeof(double) * n));
    CHECK(cudaMalloc(&d_x, sizeof(double) * n));
    CHECK(cudaMalloc(&d_x_new, sizeof(double) * n));
    CHECK(cudaMalloc(&d_res, sizeof(double) * n));
    CHECK(cudaMemcpy(d_a, a, sizeof(double) * n * n, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(d_b, b, sizeof(double) * n, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(d_x, 0, sizeof(double) * n)); /* x = 0 */

    int blocks = (n + WARPS_PER_BLOCK - 1) / WARPS_PER_BLOCK;
    for (int it = 0; it < iterations; it++) {
        sweep_kernel<<<blocks, WARPS_PER_BLOCK * 32>>>(n, d_a, d_b, d_x, d_x_new);
        double *t = d_x; d_x = d_x_new; d_x_new = t;
    }
    residual_kernel<<<blocks, WARPS_PER_BLOCK * 32>>>(n, d_a, d_b, d_x, d_res);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(x, d_x, sizeof(double) * n, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(x_prev, d_x_new, sizeof(double) * n, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(res, d_res, sizeof(double) * n, cudaMemcpyDeviceToHost));

    double r2 = 0.0, b2 = 0.0, sum = 0.0, max_change = 0.0;
    for (int i = 0; i < n; i++) {
        r2 += res[i] * res[i];
        b2 += b[i] * b[i];
        sum += x[i];
        double change = fabs(x[i] - x_prev[i]);
        if (change > max_change) max_change = change;
    }
    printf("n %d iterations %d\n", n, iterations);
    printf("residual %.10e\n", sqrt(r2 / b2));
    printf("max-change %.10e\n", max_change);
    printf("sum-x %.10e\n", sum);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    CHECK(cudaFree(d_a));
    CHECK(cudaFree(d_b));
    CHECK(cudaFree(d_x));
    CHECK(cudaFree(d_x_new));
    CHECK(cudaFree(d_res));
    free(a);
    free(b);
    free(x);
    free(x_prev);
    free(res);
    return 0;
}
