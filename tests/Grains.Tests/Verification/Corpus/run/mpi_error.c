/* corpus: a negative message tag (another MPI error class: MPI_ERR_TAG). One rank fails: when every rank
 * fails at once, the launchers may lose the messages.
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
    int rank, size;
    double edge = 1.0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int tag = rank - 1;
    if (rank == 0) {
        MPI_Send(&edge, 1, MPI_DOUBLE, size - 1, tag, MPI_COMM_WORLD);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
