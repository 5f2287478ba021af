// MPI matrix-vector product (C++): x broadcast, n / size rows scattered to each rank (Scatter), results gathered (Gather).
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <mpi.h>

static unsigned long long state;

static double next_value()
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(static_cast<long>((state >> 33) % 21) - 10);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc != 3) {
        if (rank == 0) std::fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        MPI_Finalize();
        return 1;
    }
    long n = std::atol(argv[1]);
    state = std::strtoull(argv[2], nullptr, 10);
    if (n < 1 || n > 4096) {
        if (rank == 0) std::fprintf(stderr, "N must be in 1..4096\n");
        MPI_Finalize();
        return 1;
    }
    std::vector<double> a, x(n), y(n, 0.0);
    if (rank == 0) {
        a.resize(n * n);
        for (auto &value : a) value = next_value();
        for (auto &value : x) value = next_value();
    }
    std::vector<int> rows(size), first(size), counts(size), displs(size);
    for (int r = 0; r < size; r++) {
        first[r] = static_cast<int>(n * r / size);
        rows[r] = static_cast<int>(n * (r + 1) / size) - first[r];
        counts[r] = rows[r] * static_cast<int>(n);
        displs[r] = first[r] * static_cast<int>(n);
    }
    MPI_Bcast(x.data(), static_cast<int>(n), MPI_DOUBLE, 0, MPI_COMM_WORLD);

    int share = static_cast<int>(n / size);
    std::vector<double> block(static_cast<size_t>(share) * n + 1), part(share + 1);
    MPI_Scatter(a.data(), share * static_cast<int>(n), MPI_DOUBLE, block.data(), share * static_cast<int>(n), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    for (int i = 0; i < share; i++) {
        double sum = 0.0;
        for (long j = 0; j < n; j++) sum += block[i * n + j] * x[j];
        part[i] = sum;
    }
    MPI_Gather(part.data(), share, MPI_DOUBLE, y.data(), share, MPI_DOUBLE, 0, MPI_COMM_WORLD);

    if (rank == 0) {
        for (long i = 0; i < n; i++) std::printf("y[%ld] %.1f\n", i, y[i]);
    }
    MPI_Finalize();
    return 0;
}
