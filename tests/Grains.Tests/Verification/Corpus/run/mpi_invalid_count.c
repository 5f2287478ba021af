/* corpus: the last rank sends its remainder, computed one short: a negative count when the size divides evenly.
 * technology: mpi
 * build: mpicc -g {src} -o {exe}
 * run: mpirun --allow-run-as-root --oversubscribe -np 2 {exe}
 * build: mpicc.mpich -g {src} -o {exe}
 * run: mpirun.mpich -np 2 {exe}
 */
#include <mpi.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, n = 10;
    double block[10] = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == size - 1) {
        int remainder = n % size - 1;
        MPI_Send(block, remainder, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
