using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Hosting;

/// <summary>A silo refuses to start with a user who has no token, or two who share one, instead of failing the first call.</summary>
internal sealed class ApiUsersValidator : IValidateOptions<ClusterTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTokenOptions options)
    {
        try
        {
            _ = new ApiTokens(Options.Create(options));
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}

/// <summary>A silo refuses to start with a credential that has no key, two ways of giving it, or no endpoint to go to.</summary>
internal sealed class ModelCredentialsValidator : IValidateOptions<ModelCredentials>
{
    public ValidateOptionsResult Validate(string? name, ModelCredentials options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
