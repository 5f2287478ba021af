/* corpus: a kernel reading a host global variable.
 * build: clang -x cuda --cuda-device-only --cuda-gpu-arch=sm_70 -nocudainc -nocudalib -fsyntax-only {src}
 */
#ifndef __global__
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#endif

float alpha = 2.0f;

__global__ void axpy(const float *x, float *y, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] += alpha * x[i];
    }
}
