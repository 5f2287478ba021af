/* corpus: 'true' used without <stdbool.h> (the study's first compile error).
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 * build: LC_ALL=C.UTF-8 gcc {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    int converged = 0;
    int iterations = 0;
    while (!converged) {
        iterations++;
        if (iterations == 100) {
            converged = true;
        }
    }
    printf("%d\n", iterations);
    return 0;
}
