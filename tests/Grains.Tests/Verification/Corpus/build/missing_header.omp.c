/* corpus: OpenMP runtime calls without #include <omp.h>.
 * build: gcc -fopenmp -Werror=implicit-function-declaration {src} -o {exe}
 * build: clang -fopenmp -Werror=implicit-function-declaration {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    int count[64] = {0};
    #pragma omp parallel
    {
        count[omp_get_thread_num() % 64]++;
    }
    printf("%d\n", count[0]);
    return 0;
}
