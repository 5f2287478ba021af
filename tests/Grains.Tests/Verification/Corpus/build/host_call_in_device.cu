/* corpus: a kernel calling an ordinary (host) function. clang compiles CUDA device code without the
 * toolkit when the execution-space attributes are spelled out; nvcc's wording is in ../nvcc/.
 * build: clang -x cuda --cuda-device-only --cuda-gpu-arch=sm_70 -nocudainc -nocudalib -fsyntax-only {src}
 */
#ifndef __global__
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#endif

float relax(float left, float right)
{
    return 0.5f * (left + right);
}

__global__ void jacobi(const float *u, float *next, int n)
{
    for (int i = 1; i < n - 1; i++) {
        next[i] = relax(u[i - 1], u[i + 1]);
    }
}
