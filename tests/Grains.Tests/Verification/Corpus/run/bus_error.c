/* corpus: a shared mapping of an empty file, written beyond the file's end.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
    FILE *file = tmpfile();
    if (file == NULL) {
        perror("tmpfile");
        return 1;
    }
    double *data = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fileno(file), 0);
    if (data == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    data[0] = 1.0;
    printf("%f\n", data[0]);
    return 0;
}
