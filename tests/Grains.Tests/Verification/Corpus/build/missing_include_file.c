/* corpus: a header of a toolkit that is not installed (CUDA code built with a C compiler).
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <cuda_runtime.h>
#include <stdio.h>

int main(void)
{
    printf("hello\n");
    return 0;
}
