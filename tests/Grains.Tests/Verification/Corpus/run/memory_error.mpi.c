/* corpus: the last rank's halo loop writes one element past its row, under the sanitizer build of the MPI recipe.
 * technology: mpi
 * build: mpicc -fsanitize=address,undefined -fno-sanitize-recover=all -g -O1 {src} -o {exe}
 * run: ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -np 2 {exe}
 */
#include <mpi.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, n = 8;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double *row = malloc(n * sizeof(double));
    int last = rank == size - 1 ? n : n - 1;
    for (int i = 0; i <= last; i++) {
        row[i] = rank;
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    free(row);
    return 0;
}
