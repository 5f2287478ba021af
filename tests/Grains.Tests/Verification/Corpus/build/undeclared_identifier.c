/* corpus: a variable used under a name that was never declared.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    int n = 100;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += i;
    }
    printf("%f %d\n", sum / n, num_threads);
    return 0;
}
