/* corpus: a struct passed by pointer to a function that takes it by value, with an extra argument.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

struct point {
    double x, y;
};

static double norm2(struct point p)
{
    return p.x * p.x + p.y * p.y;
}

int main(void)
{
    struct point p = {3.0, 4.0};
    printf("%f\n", norm2(&p, 2));
    return 0;
}
