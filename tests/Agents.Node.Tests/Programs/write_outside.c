/* Tries to create a file in each directory named on the command line, then once in its work directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void attempt(const char *directory)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/kernelsmith-escape.txt", directory);
    FILE *file = fopen(path, "w");
    if (file == NULL) {
        printf("write %s failed: %s\n", path, strerror(errno));
        return;
    }
    fputs("escaped\n", file);
    fclose(file);
    printf("wrote %s\n", path);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        attempt(argv[i]);
    }
    FILE *inside = fopen("inside.txt", "w");
    fputs(inside != NULL ? "written inside\n" : "", inside);
    return inside != NULL && fclose(inside) == 0 ? 0 : 1;
}
