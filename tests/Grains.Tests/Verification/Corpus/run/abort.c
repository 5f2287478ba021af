/* corpus: a failed assertion.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <assert.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int inputs = argc - 1;
    assert(inputs > 0 && "need the grid size");
    printf("%d\n", inputs);
    return 0;
}
