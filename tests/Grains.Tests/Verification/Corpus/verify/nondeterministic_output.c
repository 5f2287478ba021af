/* corpus: a shared counter incremented by every thread without synchronisation: each run loses different updates.
 * technology: openmp
 * build: gcc -fopenmp -O0 {src} -o {exe}
 * reference: OMP_NUM_THREADS=1 {exe}
 * run: OMP_NUM_THREADS=4 {exe}
 * repeat: 5
 */
#include <stdio.h>

int main(void)
{
    volatile long count = 0;
    #pragma omp parallel for
    for (long i = 0; i < 20000000; i++) {
        count++;
    }
    printf("count %ld\n", count);
    return 0;
}
