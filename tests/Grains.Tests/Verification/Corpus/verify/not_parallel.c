/* corpus: an "OpenMP version" that includes omp.h and times itself with omp_get_wtime, but has no directive.
 * technology: openmp
 * check: parallelism
 */
#include <omp.h>
#include <stdio.h>

int main(void)
{
    double start = omp_get_wtime();
    double sum = 0.0;
    /* #pragma omp parallel for reduction(+:sum) */
    for (int i = 0; i < 1000000; i++) {
        sum += 1.0 / (i + 1);
    }
    printf("sum %.6f\n", sum);
    fprintf(stderr, "#pragma omp parallel took %f s\n", omp_get_wtime() - start);
    return 0;
}
