namespace Kernelsmith.Silo.Dashboard;

/// <summary>The Cluster page.</summary>
public static class ClusterEndpoints
{
    public static void Map(RouteGroupBuilder pages)
    {
    }
}
