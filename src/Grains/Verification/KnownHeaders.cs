namespace Kernelsmith.Grains.Verification;

/// <summary>
/// The header that declares a well-known library name. An undeclared name found here is a forgotten
/// #include, not a typo: clang says only "use of undeclared identifier 'true'", where gcc adds a note.
/// </summary>
internal static class KnownHeaders
{
    private static readonly Dictionary<string, string> s_headers = Build(
        ("<stdbool.h>", "bool true false"),
        ("<stddef.h>", "NULL size_t ptrdiff_t offsetof"),
        ("<stdio.h>", "printf fprintf sprintf snprintf scanf fscanf sscanf puts putchar fputs fgets getchar fopen fclose fread fwrite fflush "
            + "perror FILE stdout stderr stdin EOF fseek ftell rewind getline remove rename setvbuf"),
        ("<stdlib.h>", "malloc calloc realloc free exit abort atoi atol atoll atof strtol strtoul strtoll strtoull strtod strtof rand srand "
            + "rand_r qsort bsearch abs labs llabs div getenv system EXIT_SUCCESS EXIT_FAILURE RAND_MAX posix_memalign aligned_alloc "
            + "drand48 srand48 erand48"),
        ("<string.h>", "memcpy memmove memset memcmp strlen strcpy strncpy strcat strncat strcmp strncmp strchr strrchr strstr strtok strdup strerror"),
        ("<math.h>", "sqrt sqrtf pow powf fabs fabsf exp expf log logf log2 log10 sin cos tan atan atan2 asin acos sinh cosh tanh floor ceil "
            + "round lround trunc fmod fmin fmax hypot cbrt erf isnan isinf isfinite INFINITY NAN HUGE_VAL M_PI M_E fma"),
        ("<limits.h>", "INT_MAX INT_MIN UINT_MAX LONG_MAX LONG_MIN ULONG_MAX LLONG_MAX LLONG_MIN ULLONG_MAX CHAR_BIT SHRT_MAX CHAR_MAX"),
        ("<float.h>", "DBL_MAX DBL_MIN FLT_MAX FLT_MIN DBL_EPSILON FLT_EPSILON"),
        ("<stdint.h>", "int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t INT32_MAX INT64_MAX "
            + "UINT32_MAX UINT64_MAX SIZE_MAX"),
        ("<inttypes.h>", "PRId64 PRIu64 PRIx64 PRId32 PRIu32"),
        ("<time.h>", "clock clock_t CLOCKS_PER_SEC time time_t clock_gettime CLOCK_MONOTONIC CLOCK_REALTIME difftime nanosleep"),
        ("<sys/time.h>", "gettimeofday"),
        ("<unistd.h>", "sleep usleep getpid sysconf _SC_NPROCESSORS_ONLN"),
        ("<assert.h>", "assert"),
        ("<ctype.h>", "isdigit isspace isalpha isalnum toupper tolower"),
        ("<errno.h>", "errno ERANGE EINVAL"));

    /// <summary>The header for a name, e.g. "&lt;stdbool.h&gt;" for "true"; null when the name is not a known library name.</summary>
    public static string? For(string name)
    {
        if (s_headers.TryGetValue(name, out var header))
        {
            return header;
        }

        return name switch
        {
            _ when name.StartsWith("omp_", StringComparison.Ordinal) => "<omp.h>",
            _ when name.StartsWith("MPI_", StringComparison.Ordinal) => "<mpi.h>",
            _ when name.StartsWith("pthread_", StringComparison.Ordinal) => "<pthread.h>",
            _ when name.StartsWith("cuda", StringComparison.Ordinal) && name.Length > 4 && char.IsUpper(name[4]) => "<cuda_runtime.h>",
            _ => null,
        };
    }

    private static Dictionary<string, string> Build(params (string Header, string Names)[] groups) =>
        groups.SelectMany(g => g.Names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => (Name: n, g.Header)))
            .ToDictionary(p => p.Name, p => p.Header, StringComparer.Ordinal);
}
