/* Writes one file that grows forever. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    FILE *file = fopen("big.dat", "w");
    for (;;) {
        fwrite(block, 1, sizeof block, file);
        fflush(file);
    }
}
