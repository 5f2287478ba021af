/* corpus: a loop bound one past the end of the buffer, under AddressSanitizer.
 * build: clang -fsanitize=address,undefined -fno-sanitize-recover=all -g -O1 {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int n = 100;
    double *u = malloc(n * sizeof(double));
    for (int i = 0; i <= n; i++) {
        u[i] = i;
    }
    printf("%f\n", u[n / 2]);
    free(u);
    return 0;
}
