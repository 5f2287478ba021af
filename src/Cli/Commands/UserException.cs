namespace Kernelsmith.Cli.Commands;

/// <summary>A mistake the user can fix; printed as one line, without a stack trace.</summary>
internal sealed class UserException(string message) : Exception(message);
