using Kernelsmith.Agents.Node.Hosting;

namespace Kernelsmith.Agents.Node.Tests.Hosting;

public sealed class AgentOptionsTests
{
    [Fact]
    public void Validate_DefaultLimits_AreAccepted()
    {
        var result = new AgentOptionsValidator().Validate(null, Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_NonsenseLimitsAndCores_NameEachSetting()
    {
        var options = Options();
        options.Cores = "3-1";
        options.Limits.MemoryBytes = 1024;
        options.Limits.Processes = 0;
        options.ReadOnlyPaths.Add("relative/site");

        var failures = new AgentOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Agent:Cores must be a CPU list", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Limits:MemoryBytes must be at least 16 MiB", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:Limits:Processes must be at least 8", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Agent:ReadOnlyPaths must hold absolute paths", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonsenseSlurmSettings_NameEachSetting()
    {
        var options = Options();
        options.Slurm.Submit = "qsub";
        options.Slurm.Config = "/nonexistent/slurm.conf";
        options.Slurm.ExtraArgs.Add("short");

        var failures = new AgentOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains("Agent:Slurm:Submit must be 'srun', 'sbatch' or empty (got 'qsub')", failures);
        Assert.Contains("Agent:Slurm:Config names no file (got '/nonexistent/slurm.conf')", failures);
        Assert.Contains("Agent:Slurm:ExtraArgs must hold options such as --qos=short (got 'short')", failures);
    }

    [Fact]
    public void Validate_WorkRootInsideAPrivateDirectory_IsRefusedWhenJobsRunAsAnotherUser()
    {
        var closed = Directory.CreateTempSubdirectory("kernelsmith-private-").FullName;
        try
        {
            var options = Options();
            options.WorkRoot = Path.Combine(closed, "agent");

            var result = new AgentOptionsValidator().Validate(null, options);

            // Only a root agent hands jobs to another user; otherwise jobs run as the agent and reach its directory.
            if (Environment.IsPrivilegedProcess)
            {
                Assert.Contains($"lies in {closed}, which others cannot enter", Assert.Single(result.Failures!));
            }
            else
            {
                Assert.True(result.Succeeded, result.FailureMessage);
            }
        }
        finally
        {
            Directory.Delete(closed);
        }
    }

    private static AgentOptions Options() => new() { Silo = "http://127.0.0.1:5070", WorkRoot = Path.Combine(Path.GetTempPath(), "kernelsmith-options-test") };
}
