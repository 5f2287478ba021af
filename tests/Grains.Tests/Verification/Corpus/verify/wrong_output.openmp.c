/* corpus: the accumulator made private, so the sum computed in the loop is thrown away; the reference is
 * the same file built without OpenMP, i.e. the sequential program.
 * technology: openmp
 * build: gcc -fopenmp -O2 {src} -o {exe}
 * reference-build: gcc -O2 {src} -o {ref}
 * reference: {ref}
 * run: OMP_NUM_THREADS=2 {exe}
 * repeat: 2
 */
#include <stdio.h>

int main(void)
{
    long long sum = 0;
    #pragma omp parallel for private(sum)
    for (long i = 0; i < 1000000; i++) {
        sum += i;
    }
    printf("sum %lld\n", sum);
    return 0;
}
