/* corpus: rank 0 is left out of a row communicator (MPI_UNDEFINED colour gives it MPI_COMM_NULL) but still
 * calls the collective on it.
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
    int rank, local = 1, total = 0;
    MPI_Comm rows;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_split(MPI_COMM_WORLD, rank == 0 ? MPI_UNDEFINED : 1, rank, &rows);
    MPI_Allreduce(&local, &total, 1, MPI_INT, MPI_SUM, rows);
    printf("%d\n", total);
    MPI_Finalize();
    return 0;
}
