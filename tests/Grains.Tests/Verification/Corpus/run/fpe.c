/* corpus: a block size divided by a count that is zero.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    int workers = argc - 1;
    int per_worker = 1000 / workers;
    printf("%d\n", per_worker);
    return 0;
}
