/* corpus: the rank asked for before MPI_Init.
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
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Init(&argc, &argv);
    printf("rank %d\n", rank);
    MPI_Finalize();
    return 0;
}
