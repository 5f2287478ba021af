/* corpus: malloc and atoi called without <stdlib.h>; an error in C99 with -pedantic-errors (and by default in gcc 14).
 * build: gcc -std=c99 -pedantic-errors {src} -o {exe}
 * build: clang -Werror=implicit-function-declaration {src} -o {exe}
 * build: LC_ALL=C.UTF-8 gcc -Werror=implicit-function-declaration {src} -o {exe}
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    double *grid = malloc(n * sizeof(double));
    for (int i = 0; i < n; i++) {
        grid[i] = i;
    }
    printf("%f\n", grid[n - 1]);
    return 0;
}
