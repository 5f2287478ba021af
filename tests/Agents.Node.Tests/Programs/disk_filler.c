/* Fills the work directory with many files, each well under the file size limit. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    for (int n = 0;; n++) {
        char name[64];
        snprintf(name, sizeof name, "part-%06d.dat", n);
        FILE *file = fopen(name, "w");
        if (file == NULL) {
            perror("fopen");
            return 3;
        }
        for (int i = 0; i < 4; i++) {
            fwrite(block, 1, sizeof block, file);
        }
        fclose(file);
    }
}
