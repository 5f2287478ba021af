/* corpus: a buffer allocated on one path only, then written on every path.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 * build: clang -fsanitize=address -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    double *grid = NULL;
    if (argc > 5) {
        grid = malloc(64 * sizeof(double));
    }
    grid[3] = 1.0;
    printf("%f\n", grid[3]);
    return 0;
}
