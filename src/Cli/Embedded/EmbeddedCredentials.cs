using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Security;

namespace Kernelsmith.Cli.Embedded;

/// <summary>
/// The credentials of a <c>kernelsmith run</c>: the operator is the user, so they come from the user's environment
/// (<c>Credentials__NAME__*</c>) and <c>--config</c> file, plus the local default <c>openai</c> when OPENAI_API_KEY is set.
/// A spec still only names them, so a spec from elsewhere cannot send a key anywhere it is not bound to.
/// </summary>
internal static class EmbeddedCredentials
{
    public static ModelCredentials Load(FileInfo? config)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (config is not null)
        {
            if (!config.Exists)
            {
                throw new UserException($"--config {config.FullName} not found");
            }

            builder.AddJsonFile(config.FullName, optional: false);
        }

        var credentials = new ModelCredentials();
        builder.Build().GetSection(ModelCredentials.Section).Bind(credentials.Named);
        credentials.AddLocalOpenAiDefault();
        return credentials.Problems().ToList() is { Count: > 0 } problems
            ? throw new UserException(string.Join("; ", problems))
            : credentials;
    }
}
