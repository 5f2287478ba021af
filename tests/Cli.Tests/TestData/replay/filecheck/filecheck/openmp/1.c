#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    int i;
    long *v = malloc(n * sizeof *v);
    FILE *out = fopen("result.dat", "w");
    if (out == NULL || v == NULL) {
        return 1;
    }
    #pragma omp parallel for
    for (i = 0; i < n; i++) {
        v[i] = (long)i * i % 1013;
    }
    /* The same lines, last first. */
    for (i = n - 1; i >= 0; i--) {
        fprintf(out, "%d %ld\n", i, v[i]);
    }
    fclose(out);
    free(v);
    printf("wrote %d values\n", n);
    return 0;
}
