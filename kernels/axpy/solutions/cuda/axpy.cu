/* CUDA AXPY: x and y are copied to the device once; each repetition is one launch of a grid-stride
 * kernel (one element per thread and step, coalesced), launches on the default stream run in order.
 * y is copied back once and the host forms the summary. */
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

static unsigned long long state;

static double next_value(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)((state >> 33) % 1000) / 100.0 - 5.0;
}

__global__ void axpy_kernel(long n, double a, const double *__restrict__ x, double *__restrict__ y)
{
    long stride = (long)gridDim.x * blockDim.x;
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
        y[i] = a * x[i] + y[i];
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s N REPETITIONS SEED\n", argv[0]);
        return 1;
    }
    long n = atol(argv[1]);
    int repetitions = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    if (n < 1 || repetitions < 0) {
        fprintf(stderr, "N must be positive and REPETITIONS not negative\n");
        return 1;
    }
    double *x = (double *)malloc(sizeof(double) * n);
    double *y = (double *)malloc(sizeof(double) * n);
    if (!x || !y) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (long i = 0; i < n; i++) x[i] = next_value();
    for (long i = 0; i < n; i++) y[i] = next_value();
    const double a = 0.75;

    double *dx, *dy;
    CHECK(cudaMalloc(&dx, sizeof(double) * n));
    CHECK(cudaMalloc(&dy, sizeof(double) * n));
    CHECK(cudaMemcpy(dx, x, sizeof(double) * n, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dy, y, sizeof(double) * n, cudaMemcpyHostToDevice));

    const int threads = 256;
    long blocks_needed = (n + threads - 1) / threads;
    int blocks = (int)(blocks_needed < 65535 ? blocks_needed : 65535);
    for (int r = 0; r < repetitions; r++)
        axpy_kernel<<<blocks, threads>>>(n, a, dx, dy);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(y, dy, sizeof(double) * n, cudaMemcpyDeviceToHost));

    double sum = 0.0, sum_abs = 0.0;
    for (long i = 0; i < n; i++) {
        sum += y[i];
        sum_abs += fabs(y[i]);
    }
    printf("n %ld repetitions %d a %.2f\n", n, repetitions, a);
    printf("sum %.10e\n", sum);
    printf("sum-abs %.10e\n", sum_abs);
    printf("y[0] %.10e\n", y[0]);
    printf("y[n/3] %.10e\n", y[n / 3]);
    printf("y[n-1] %.10e\n", y[n - 1]);
    CHECK(cudaFree(dx));
    CHECK(cudaFree(dy));
    free(x);
    free(y);
    return 0;
}
