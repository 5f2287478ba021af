namespace Kernelsmith.Cli.Embedded;

/// <summary>
/// <c>run --dashboard</c>: the embedded silo serves the web dashboard on loopback (on <see cref="Port"/>, 0 for any free
/// one); its sign-in URL, with a login token made for this run, is printed on stderr, and once the sweep has ended the
/// dashboard keeps serving until Ctrl-C (or until <see cref="AfterSweepAsync"/> is given something else to wait for).
/// </summary>
internal sealed class EmbeddedDashboard(int port)
{
    public int Port => port;

    /// <summary>The sign-in URL, once the silo serves it.</summary>
    public string? Url { get; private set; }

    /// <summary>Told the URL as soon as the dashboard serves (a bench opens a browser on it).</summary>
    public Action<string>? OnOpened { get; init; }

    /// <summary>What to wait for after the sweep before the silo stops; by default, Ctrl-C.</summary>
    public Func<IReadOnlyList<Contracts.Experiments.ExperimentRecord>, CancellationToken, Task>? AfterSweep { get; init; }

    public void Opened(string url)
    {
        Url = url;
        Console.Error.WriteLine($"Dashboard: {url}");
        OnOpened?.Invoke(url);
    }

    public async Task AfterSweepAsync(IReadOnlyList<Contracts.Experiments.ExperimentRecord> records, CancellationToken cancellationToken)
    {
        if (AfterSweep is not null)
        {
            await AfterSweep(records, cancellationToken);
            return;
        }

        Console.Error.WriteLine($"The sweep has ended; the dashboard still serves at {Url}: press Ctrl-C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the silo stops now.
        }
    }
}
