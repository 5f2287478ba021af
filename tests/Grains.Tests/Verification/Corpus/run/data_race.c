/* corpus: a parallel sum without a reduction, under ThreadSanitizer with clang's libomp.
 * technology: openmp
 * build: clang -fopenmp -fsanitize=thread -g -O1 {src} -o {exe}
 * run: OMP_NUM_THREADS=4 TSAN_OPTIONS=ignore_noninstrumented_modules=1 {exe}
 */
#include <stdio.h>

int main(void)
{
    const int n = 100000;
    double sum = 0.0;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        sum += 1.0 / (i + 1);
    }
    printf("%.6f\n", sum);
    return 0;
}
