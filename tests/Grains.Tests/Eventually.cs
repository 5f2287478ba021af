namespace Kernelsmith.Grains.Tests;

/// <summary>Waits for a condition a cluster reaches in its own time, failing with what was awaited.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {patience} for {what}");
            }

            await Task.Delay(100);
        }
    }
}
