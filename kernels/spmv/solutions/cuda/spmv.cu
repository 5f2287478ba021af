/* CUDA SpMV power iteration: the CSR matrix stays on the device. y = A x gives each row a group of
 * 8 consecutive lanes (rows hold about K entries, so a whole warp per row would idle most lanes); the
 * group strides along the row and reduces with width-8 shuffles. The same kernel reduces max |y_i|
 * per block (shuffles, then shared memory) and merges the block maxima with one atomicMax on the bit
 * pattern (for non-negative doubles it orders like the values). A second kernel writes x = y / m.
 * Only the final x and m come back to the host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#define THREADS 256
#define LANES_PER_ROW 8
#define ROWS_PER_BLOCK (THREADS / LANES_PER_ROW)

static unsigned long long state;

static unsigned long long next_raw(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

static double next_value(void) { return (double)(next_raw() % 1000) / 100.0 - 5.0; }

__global__ void spmv_kernel(int n, const long *__restrict__ row_start, const int *__restrict__ col,
                            const double *__restrict__ val, const double *__restrict__ x,
                            double *__restrict__ y, unsigned long long *max_bits)
{
    __shared__ double warp_max[THREADS / 32];
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / LANES_PER_ROW;
    int lane = threadIdx.x % LANES_PER_ROW;
    double s = 0.0;
    if (row < n) {
        long end = row_start[row + 1];
        for (long p = row_start[row] + lane; p < end; p += LANES_PER_ROW) s += val[p] * x[col[p]];
    }
    /* every thread of the block takes part in the shuffles and the barrier */
    for (int offset = LANES_PER_ROW / 2; offset > 0; offset >>= 1)
        s += __shfl_down_sync(0xffffffffu, s, offset, LANES_PER_ROW);
    double m = 0.0;
    if (lane == 0 && row < n) {
        y[row] = s;
        m = fabs(s);
    }
    for (int offset = 16; offset > 0; offset >>= 1) m = fmax(m, __shfl_down_sync(0xffffffffu, m, offset));
    if (threadIdx.x % 32 == 0) warp_max[threadIdx.x / 32] = m;
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int w = 1; w < THREADS / 32; w++) m = fmax(m, warp_max[w]);
        atomicMax(max_bits, (unsigned long long)__double_as_longlong(m));
    }
}

__global__ void scale_kernel(int n, const double *__restrict__ y, double *__restrict__ x,
                             const unsigned long long *max_bits)
{
    double m = __longlong_as_double((long long)*max_bits);
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) x[i] = y[i] / m;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s N K ITERATIONS SEED\n", argv[0]);
        return 1;
    }
    int n = atoi(argv[1]);
    int k = atoi(argv[2]);
    int iterations = atoi(argv[3]);
    state = strtoull(argv[4], NULL, 10);
    if (n < 1 || k < 1 || iterations < 1) {
        fprintf(stderr, "N, K and ITERATIONS must be positive\n");
        return 1;
    }

    /* build the CSR structure: row lengths first, then sorted columns and values row by row */
    long *row_start = (long *)malloc(sizeof(long) * (n + 1));
    if (!row_start) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    row_start[0] = 0;
    for (int i = 0; i < n; i++) row_start[i + 1] = row_start[i] + 1 + (long)(next_raw() % (2 * k - 1));
    long nnz = row_start[n];
    int *col = (int *)malloc(sizeof(int) * nnz);
    double *val = (double *)malloc(sizeof(double) * nnz);
    double *x = (double *)malloc(sizeof(double) * n);
    if (!col || !val || !x) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        for (long p = row_start[i]; p < row_start[i + 1]; p++) {
            int c = (int)(next_raw() % n);
            long q = p;
            while (q > row_start[i] && col[q - 1] > c) {
                col[q] = col[q - 1];
                q--;
            }
            col[q] = c;
        }
        for (long p = row_start[i]; p < row_start[i + 1]; p++) val[p] = next_value();
    }
    for (int i = 0; i < n; i++) x[i] = next_value();

    long *d_row_start;
    int *d_col;
    double *d_val, *d_x, *d_y;
    unsigned long long *d_max;
    CHECK(cudaMalloc(&d_row_start, sizeof(long) * (n + 1)));
    CHECK(cudaMalloc(&d_col, sizeof(int) * nnz));
    CHECK(cudaMalloc(&d_val, sizeof(double) * nnz));
    CHECK(cudaMalloc(&d_x, sizeof(double) * n));
    CHECK(cudaMalloc(&d_y, sizeof(double) * n));
    CHECK(cudaMalloc(&d_max, sizeof(unsigned long long)));
    CHECK(cudaMemcpy(d_row_start, row_start, sizeof(long) * (n + 1), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(d_col, col, sizeof(int) * nnz, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(d_val, val, sizeof(double) * nnz, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(d_x, x, sizeof(double) * n, cudaMemcpyHostToDevice));

    int spmv_blocks = (n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
    int scale_blocks = (n + THREADS - 1) / THREADS;
    if (scale_blocks > 4096) scale_blocks = 4096;
    for (int it = 0; it < iterations; it++) {
        CHECK(cudaMemset(d_max, 0, sizeof(unsigned long long))); /* the bits of +0.0 */
        spmv_kernel<<<spmv_blocks, THREADS>>>(n, d_row_start, d_col, d_val, d_x, d_y, d_max);
        scale_kernel<<<scale_blocks, THREADS>>>(n, d_y, d_x, d_max);
    }
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    unsigned long long max_bits;
    CHECK(cudaMemcpy(x, d_x, sizeof(double) * n, cudaMemcpyDeviceToHost));
    CHECK(cudaMemcpy(&max_bits, d_max, sizeof(max_bits), cudaMemcpyDeviceToHost));
    double scale;
    memcpy(&scale, &max_bits, sizeof scale);

    double sum = 0.0, sum_abs = 0.0;
    for (int i = 0; i < n; i++) {
        sum += x[i];
        sum_abs += fabs(x[i]);
    }
    printf("n %d nnz %ld iterations %d\n", n, nnz, iterations);
    printf("scale %.10e\n", scale);
    printf("sum-x %.10e\n", sum);
    printf("sum-abs-x %.10e\n", sum_abs);
    printf("x[0] %.10e\n", x[0]);
    printf("x[n/2] %.10e\n", x[n / 2]);
    printf("x[n-1] %.10e\n", x[n - 1]);
    free(row_start);
    free(col);
    free(val);
    free(x);
    CHECK(cudaFree(d_row_start));
    CHECK(cudaFree(d_col));
    CHECK(cudaFree(d_val));
    CHECK(cudaFree(d_x));
    CHECK(cudaFree(d_y));
    CHECK(cudaFree(d_max));
    return 0;
}
