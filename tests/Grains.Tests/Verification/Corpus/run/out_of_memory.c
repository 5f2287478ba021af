/* corpus: a grid larger than the memory limit; malloc fails and the program says so.
 * build: gcc -g {src} -o {exe}
 * run: prlimit --as=1000000000 {exe}
 * build: clang -fsanitize=address -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    size_t n = (size_t)1 << (40 + argc);
    double *grid = malloc(n * sizeof(double));
    if (grid == NULL) {
        perror("malloc");
        return 1;
    }
    grid[0] = 1.0;
    printf("%f\n", grid[0]);
    return 0;
}
