/* corpus: a scratch buffer allocated in a helper and never freed, under LeakSanitizer.
 * build: clang -fsanitize=address -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

static double checksum(int n)
{
    double *scratch = malloc(n * sizeof(double));
    double s = 0.0;
    for (int i = 0; i < n; i++) {
        scratch[i] = i;
        s += scratch[i];
    }
    return s;
}

int main(void)
{
    printf("%f\n", checksum(1000));
    return 0;
}
