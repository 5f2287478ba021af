/* corpus: a buffer freed twice, caught by glibc without any sanitizer.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double *a = malloc(64 * sizeof(double));
    a[0] = 1.0;
    printf("%f\n", a[0]);
    free(a);
    free(a);
    return 0;
}
