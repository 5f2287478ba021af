/* corpus: an early exit from a parallel loop.
 * build: gcc -fopenmp {src} -o {exe}
 * build: clang -fopenmp {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    int values[100], found = -1;
    for (int k = 0; k < 100; k++) {
        values[k] = k * 3;
    }
    #pragma omp parallel for
    for (int i = 0; i < 100; i++) {
        if (values[i] == 42) {
            found = i;
            break;
        }
    }
    printf("%d\n", found);
    return 0;
}
