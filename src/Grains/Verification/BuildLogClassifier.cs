using System.Text.RegularExpressions;
using static Kernelsmith.Grains.Verification.ErrorCategories;

namespace Kernelsmith.Grains.Verification;

/// <summary>
/// Reads a build log (gcc, clang, nvcc, ld, nvlink) as a list of error diagnostics, each with the notes
/// the compiler attached to it, and names each one. Warnings are not findings: they do not fail a build.
/// </summary>
internal static partial class BuildLogClassifier
{
    private static readonly (string Category, Regex Rule)[] s_rules =
    [
        (MissingIncludeFile, MissingIncludeRule()),
        (C99LoopDeclaration, C99LoopRule()),
        (HostCallInDevice, HostCallRule()),
        (UndefinedInDevice, UndefinedInDeviceRule()),
        (IntFromPointer, IntFromPointerRule()),
        (RegisterAddress, RegisterAddressRule()),
        (OpenMpDirective, OpenMpRule()),
        (OverflowOutOfRange, OverflowRule()),
    ];

    public static void Classify(string log, FindingList findings)
    {
        // A diagnostic's category may depend on the notes that follow it, so findings are named at the end, in order.
        var errors = new List<Diagnostic>();
        Diagnostic? current = null;
        foreach (var line in FindingList.Lines(log))
        {
            if (Compiler(line) is { } diagnostic)
            {
                if (diagnostic.Severity == "note")
                {
                    current?.Notes.Add(line);
                    continue;
                }

                // A warning's notes belong to the warning; only errors become findings.
                current = diagnostic.Severity.Contains("error", StringComparison.Ordinal) ? diagnostic : null;
                if (current is not null)
                {
                    errors.Add(current);
                }

                continue;
            }

            if (LinkerRule().Match(line) is { Success: true } link)
            {
                current = null;
                var message = link.Groups["msg"].Value;
                var category = message switch
                {
                    _ when message.StartsWith("cannot find -l", StringComparison.Ordinal) => MissingLibrary,
                    _ when message.Contains("multiple definition", StringComparison.OrdinalIgnoreCase) || message.StartsWith("duplicate symbol", StringComparison.Ordinal) => LinkMultipleDefinition,
                    _ when message.StartsWith("relocation truncated to fit", StringComparison.Ordinal) => OverflowOutOfRange,
                    _ => LinkUndefinedReference,
                };
                errors.Add(new Diagnostic("error", message.Split(';')[0], line) { Fixed = category });
            }
            else if (ToolRule().Match(line) is { Success: true } tool && !TrailerRule().IsMatch(tool.Groups["msg"].Value))
            {
                current = null;
                errors.Add(new Diagnostic("error", tool.Groups["msg"].Value, line) { Fixed = Other });
            }
        }

        foreach (var error in errors)
        {
            // The findings keep the diagnostic's own line and its notes.
            findings.Add(error.Fixed ?? Category(error), error.Text, error.Message);
        }
    }

    private static string Category(Diagnostic diagnostic)
    {
        if (UserErrorRule().IsMatch(diagnostic.Message))
        {
            return Other;
        }

        var text = diagnostic.Message + "\n" + string.Join('\n', diagnostic.Notes);
        foreach (var (category, rule) in s_rules)
        {
            if (rule.IsMatch(text))
            {
                return category;
            }
        }

        if (UndeclaredRule().Match(diagnostic.Message) is { Success: true } undeclared)
        {
            var name = undeclared.Groups["name"].Value;
            return KnownHeaders.For(name) is not null || HeaderNoteRule().IsMatch(text) ? MissingHeader : UndeclaredIdentifier;
        }

        return text switch
        {
            _ when HeaderNoteRule().IsMatch(text) => MissingHeader,
            _ when SyntaxRule().IsMatch(diagnostic.Message) => SyntaxError,
            _ when TypeRule().IsMatch(diagnostic.Message) => TypeError,
            _ => Other,
        };
    }

    private static Diagnostic? Compiler(string line)
    {
        var match = GccDiagnostic().Match(line);
        if (!match.Success)
        {
            match = NvccDiagnostic().Match(line);
        }

        return match.Success ? new Diagnostic(match.Groups["sev"].Value, match.Groups["msg"].Value, line) : null;
    }

    private sealed record Diagnostic(string Severity, string Message, string Line)
    {
        public List<string> Notes { get; } = [];

        /// <summary>The category of a linker or driver error, known from the line alone.</summary>
        public string? Fixed { get; init; }

        public string Text => Notes.Count == 0 ? Line : Line + "\n" + string.Join('\n', Notes);
    }

    // file.c:12:5: error: ...   file.c:12: error: ...   (gcc, clang; nvcc passes the host compiler's through)
    [GeneratedRegex(@"^(?<loc>[^\s:(][^:]*:\d+(?::\d+)?): (?<sev>fatal error|error|warning|note|remark): (?<msg>.*)$")]
    private static partial Regex GccDiagnostic();

    // file.cu(12): error: ...   file.cu(12): error #20014-D: ...   (nvcc's front end)
    [GeneratedRegex(@"^(?<loc>\S[^()]*\(\d+\)): (?<sev>catastrophic error|error|warning|remark)(?: #\d+(?:-D)?)?: (?<msg>.*)$")]
    private static partial Regex NvccDiagnostic();

    // ld, lld, nvlink: the part of the line that names the problem.
    [GeneratedRegex(@"(?<msg>(?:undefined reference to|multiple definition of|cannot find -l|undefined symbol:|Undefined reference to|Multiple definition of|duplicate symbol|relocation truncated to fit).*)$")]
    private static partial Regex LinkerRule();

    // A driver speaking for itself: "gcc: error: ...", "clang: error: ...", "nvcc fatal   : ...", "ptxas error   : ...".
    [GeneratedRegex(@"^(?:\S*/)?(?:[\w.-]*-)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cc1|cc1plus|collect2|ld|nvcc|ptxas|nvlink|fatbinary|cudafe\+\+|mpicc|mpicxx)(?:[.-][\w.]+)?\s*:?\s*(?:fatal error|error|fatal)\s*:\s*(?<msg>.*)$")]
    private static partial Regex ToolRule();

    // Consequences of errors already reported, not errors of their own.
    [GeneratedRegex(@"^(?:ld returned \d+ exit status|linker command failed|some warnings being treated as errors|all warnings being treated as errors)")]
    private static partial Regex TrailerRule();

    [GeneratedRegex(@"(?:No such file or directory$|file not found$|cannot open source file)", RegexOptions.Multiline)]
    private static partial Regex MissingIncludeRule();

    [GeneratedRegex(@"'for' loop initial declarations are only allowed in C99|‘for’ loop initial declarations are only allowed in C99|variable declaration in for loop is a C99-specific feature")]
    private static partial Regex C99LoopRule();

    [GeneratedRegex(@"calling a (?:constexpr )?__host__ function.* from a __(?:global|device)__ function|calling a host function from a __device__/__global__ function|call to __host__ function from __(?:global|device)__ function|reference to __host__ function .* in __(?:global|device)__ function")]
    private static partial Regex HostCallRule();

    [GeneratedRegex(@"is undefined in device code|reference to __host__ variable .* in __(?:global|device)__ function")]
    private static partial Regex UndefinedInDeviceRule();

    [GeneratedRegex(@"makes (?:integer from pointer|pointer from integer) without a cast|incompatible (?:pointer to integer|integer to pointer) conversion|\[-W(?:error,-W|error=)?int-conversion\]|a value of type ""[^""]*\*"" cannot be (?:used to initialize|assigned to) an entity of type ""(?:(?:const|unsigned|signed|long|short) )*(?:int|long|short|char|size_t|unsigned)""")]
    private static partial Regex IntFromPointerRule();

    [GeneratedRegex(@"address of register variable")]
    private static partial Regex RegisterAddressRule();

    // An #error directive says what its author wrote, whatever the words.
    [GeneratedRegex(@"^#error|^""")]
    private static partial Regex UserErrorRule();

    [GeneratedRegex(@"OpenMP (?:for|loop|construct|region|directive|clause|structured block)|in OpenMP|#pragma omp|not specified in enclosing [‘']|must have explicitly specified data sharing attributes|for statement expected before|invalid controlling predicate|invalid increment expression|closely nested|reduction variable|is predetermined [‘']|in clause [‘']|threadprivate|collapsed loops")]
    private static partial Regex OpenMpRule();

    [GeneratedRegex(@"integer overflow in expression|overflow in expression|overflow in constant expression|overflow in conversion|integer constant is (?:too|so) large|integer literal is too large|\[-W(?:error,-W|error=)?(?:integer-)?overflow\]|out of range|cannot be narrowed|size of array .* is too large|array is too large")]
    private static partial Regex OverflowRule();

    // The name in "'x' undeclared", "use of undeclared identifier 'x'", "'x' was not declared in this scope",
    // "implicit declaration of function 'x'", "unknown type name 'x'", nvcc's 'identifier "x" is undefined'.
    [GeneratedRegex(@"(?:^[‘'](?<name>\w+)[’'] undeclared|undeclared (?:identifier|function|library function) [‘'](?<name>\w+)[’']|^[‘'](?<name>\w+)[’'] was not declared|implicit(?:ly)? declar\w* (?:of )?(?:library )?function [‘'](?<name>\w+)[’']|unknown type name [‘'](?<name>\w+)[’']|^identifier ""(?<name>\w+)"" is undefined$|[‘'](?<name>\w+)[’'] is not a member of [‘']std[’'])")]
    private static partial Regex UndeclaredRule();

    // gcc: "'true' is defined in header '<stdbool.h>'", "include '<stdlib.h>' or provide a declaration of 'malloc'";
    // clang: "include the header <stdlib.h> or explicitly provide a declaration for 'malloc'".
    [GeneratedRegex(@"is defined in header|include [‘']<[\w./]+>[’'] or provide a declaration|include the header <[\w./]+>|did you forget to [‘']#include")]
    private static partial Regex HeaderNoteRule();

    [GeneratedRegex(@"^expected |expected [‘'""].*[’'""] (?:before|after|at end of|in)|expected (?:expression|statement|declaration|identifier|unqualified-id|primary-expression|a [""(;)])|stray [‘'\\]|missing terminating|unterminated|extraneous|at end of input|invalid preprocessing directive|unbalanced|parse error|syntax error")]
    private static partial Regex SyntaxRule();

    [GeneratedRegex(@"incompatible type|incompatible pointer type|invalid operands|too (?:few|many) arguments|conflicting types|subscripted value is|request for member|has no member named|no member named|lvalue required|not assignable|invalid type argument|void value not ignored|cannot convert|no matching function|invalid conversion|is not a (?:struct|union|pointer|function)|used where .* required|incompatible with parameter of type|cannot be used to initialize|cannot be assigned to|cannot initialize|expression must (?:have|be)|called object|redefinition of|redeclared as different kind|storage size of|incomplete type|invalid use of|assignment to expression with array type|initializer element is not|variable-sized object|returning .* from a function with|passing .* to parameter of|non-void function|return type|indirection requires pointer|array type .* is not assignable|invalid argument type")]
    private static partial Regex TypeRule();
}
