/* corpus: OpenMP runtime calls in a build without -fopenmp.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <omp.h>
#include <stdio.h>

int main(void)
{
    double start = omp_get_wtime();
    printf("%d threads, %f s\n", omp_get_max_threads(), omp_get_wtime() - start);
    return 0;
}
