using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// The web dashboard's wiring: an HTTP/1.1 listener of its own (<c>Dashboard:Port</c>; h2c prior knowledge and HTTP/1.1
/// cannot share a cleartext port), cookie sign-in with the sweep API's tokens, the pages and their event streams, and the
/// Orleans Dashboard under <c>/orleans</c>, every one of them behind the sign-in and answering on that port only.
/// </summary>
public static partial class DashboardHosting
{
    private const string Policy = "kernelsmith-dashboard";

    /// <summary>
    /// When <c>Dashboard:Port</c> is set, adds the dashboard's listener and services; returns its port (null: no dashboard).
    /// Call before the host's endpoints are configured.
    /// </summary>
    public static int? AddKernelsmithDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        if (DashboardOptions.PortOf(builder.Configuration) is not { } port)
        {
            return null;
        }

        var host = builder.Configuration[$"{DashboardOptions.Section}:Host"] is { Length: > 0 } configured ? configured : "+";
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = string.Join(';',
            ServiceDefaults.HealthEndpoints.HostUrls(builder.Configuration).Append($"http://{host}:{port}"));
        builder.Services.AddSingleton<DashboardLogin>();
        builder.Services.AddSingleton<SweepFeeds>();
        builder.Services.AddSingleton<SweepPlots>();
        builder.Services.AddSingleton<ClusterPage>();
        builder.Services.AddAuthentication(DashboardLogin.Scheme).AddCookie(DashboardLogin.Scheme, DashboardLogin.Configure);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(DashboardLogin.Scheme).RequireAuthenticatedUser());
        return port;
    }

    /// <summary>Maps the dashboard on its port, when one is configured.</summary>
    public static WebApplication MapKernelsmithDashboard(this WebApplication app)
    {
        if (DashboardOptions.PortOf(app.Configuration) is not { } port)
        {
            return app;
        }

        app.UseAuthentication();
        app.UseAuthorization();
        var open = app.MapGroup("").RequireHost($"*:{port}");
        open.MapGet("/assets/{name:regex(^dashboard\\.(css|js)$)}", (string name) =>
        {
            var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Kernelsmith.Dashboard.{name}")!;
            return HttpResults.Stream(stream, name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        });
        LoginEndpoints.Map(open);
        var pages = app.MapGroup("").RequireHost($"*:{port}").RequireAuthorization(Policy);
        pages.AddEndpointFilter(async (context, next) =>
        {
            // No page or data is cached by the browser or a proxy, and no other site may frame one.
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            context.HttpContext.Response.Headers.XFrameOptions = "DENY";
            return await next(context);
        });
        SweepsEndpoints.Map(pages);
        SweepEndpoints.Map(pages);
        ClusterEndpoints.Map(pages);
        app.MapOrleansDashboard("/orleans").RequireHost($"*:{port}").RequireAuthorization(Policy);

        var login = app.Services.GetRequiredService<DashboardLogin>();
        if (app.Configuration[$"{DashboardOptions.Section}:LoginToken"] is not { Length: > 0 } && login.LoginToken is { } generated)
        {
            // An open cluster: the token exists only in this log line (and in what `kernelsmith run --dashboard` prints).
            var host = app.Configuration[$"{DashboardOptions.Section}:Host"] is { Length: > 0 } h && h != "+" && h != "*" ? h : "localhost";
            LogLoginUrl(app.Logger, $"http://{host}:{port}/login?token={generated}");
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is open (no token), so the dashboard has a generated login token: sign in at {Url}")]
    private static partial void LogLoginUrl(ILogger logger, string url);
}
