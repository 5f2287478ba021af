// Dense matrix-vector product y = A x of a seeded n x n matrix of small integers (exact in doubles).
// Usage: matvec N SEED. Prints every entry of y.
#include <cstdio>
#include <cstdlib>
#include <vector>

static unsigned long long state;

static double next_value()
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(static_cast<long>((state >> 33) % 21) - 10);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    long n = std::atol(argv[1]);
    state = std::strtoull(argv[2], nullptr, 10);
    if (n < 1 || n > 4096) {
        std::fprintf(stderr, "N must be in 1..4096\n");
        return 1;
    }
    std::vector<double> a(n * n), x(n), y(n, 0.0);
    for (auto &value : a) value = next_value();
    for (auto &value : x) value = next_value();

    for (long i = 0; i < n; i++) {
        double sum = 0.0;
        for (long j = 0; j < n; j++) sum += a[i * n + j] * x[j];
        y[i] = sum;
    }

    for (long i = 0; i < n; i++) std::printf("y[%ld] %.1f\n", i, y[i]);
    return 0;
}
