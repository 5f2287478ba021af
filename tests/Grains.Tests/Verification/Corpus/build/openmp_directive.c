/* corpus: default(none) without listing every variable the region uses.
 * build: gcc -fopenmp {src} -o {exe}
 * build: clang -fopenmp {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    double a[1000], sum = 0.0;
    int n = 1000;
    #pragma omp parallel for default(none) shared(a) reduction(+:sum)
    for (int i = 0; i < n; i++) {
        a[i] = i * 0.5;
        sum += a[i];
    }
    printf("%f\n", sum);
    return 0;
}
