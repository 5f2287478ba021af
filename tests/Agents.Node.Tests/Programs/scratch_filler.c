/* Fills a RAM-backed scratch directory (/tmp or /dev/shm, given as the argument) with 4 MiB files. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    const char *directory = argc > 1 ? argv[1] : "/tmp";
    long written = 0;
    for (int n = 0;; n++) {
        char name[256];
        snprintf(name, sizeof name, "%s/scratch-%06d.dat", directory, n);
        FILE *file = fopen(name, "w");
        if (file == NULL) {
            perror("fopen");
            return 3;
        }
        for (int i = 0; i < 4; i++) {
            if (fwrite(block, 1, sizeof block, file) != sizeof block) {
                printf("full after %ld MiB\n", written >> 20);
                return 4;
            }
            written += sizeof block;
        }
        if (fclose(file) != 0) {
            printf("full after %ld MiB\n", written >> 20);
            return 4;
        }
    }
}
