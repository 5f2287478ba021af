#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    int i;
    FILE *out = fopen("result.dat", "w");
    if (out == NULL) {
        return 1;
    }
    for (i = 0; i < n; i++) {
        fprintf(out, "%d %ld\n", i, (long)i * i % 1009);
    }
    fclose(out);
    printf("wrote %d values\n", n);
    return 0;
}
