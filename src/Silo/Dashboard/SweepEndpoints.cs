namespace Kernelsmith.Silo.Dashboard;

/// <summary>One sweep's page and one experiment's page.</summary>
public static class SweepEndpoints
{
    public static void Map(RouteGroupBuilder pages)
    {
    }
}
