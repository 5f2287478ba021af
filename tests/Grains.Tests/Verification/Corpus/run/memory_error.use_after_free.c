/* corpus: the old grid read after it was freed in a swap, under AddressSanitizer.
 * build: clang -fsanitize=address -g -O1 {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double *old = malloc(64 * sizeof(double));
    for (int i = 0; i < 64; i++) {
        old[i] = i;
    }
    free(old);
    printf("%f\n", old[10]);
    return 0;
}
