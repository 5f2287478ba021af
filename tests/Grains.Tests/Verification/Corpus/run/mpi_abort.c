/* corpus: rank 0 gives up with MPI_Abort because the grid does not divide among the ranks.
 * technology: mpi
 * build: mpicc -g {src} -o {exe}
 * run: mpirun --allow-run-as-root --oversubscribe -np 2 {exe}
 * build: mpicc.mpich -g {src} -o {exe}
 * run: mpirun.mpich -np 2 {exe}
 */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, n = 999;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0 && n % size != 0) {
        fprintf(stderr, "the grid size must be divisible by the number of ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
