/* corpus: a local array overrun, caught by the stack protector.
 * build: gcc -g -fstack-protector-all {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

static void fill(int n)
{
    int local[8];
    for (int i = 0; i < n; i++) {
        local[i] = i;
    }
    printf("%d\n", local[3]);
}

int main(int argc, char **argv)
{
    fill(8 + 8 * argc);
    return 0;
}
