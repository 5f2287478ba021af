/* corpus: a function declared and called but never defined.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

double boundary_energy(const double *grid, int n);

int main(void)
{
    double grid[4] = {1.0, 2.0, 3.0, 4.0};
    printf("%f\n", boundary_energy(grid, 4));
    return 0;
}
