/* corpus: a link against a library this machine does not have.
 * build: gcc {src} -o {exe} -lcudart
 * build: clang {src} -o {exe} -lcudart
 * build: mpicc {src} -o {exe} -lcudart
 */
#include <stdio.h>

int main(void)
{
    printf("hello\n");
    return 0;
}
