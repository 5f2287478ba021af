using Microsoft.AspNetCore.Authentication;
using static Kernelsmith.Silo.Dashboard.Html;

using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>Signing in with a token (a form, or <c>/login?token=</c> once, then a redirect that drops it from the address) and out.</summary>
public static partial class LoginEndpoints
{
    public static void Map(RouteGroupBuilder open)
    {
        open.MapGet("/login", async (HttpContext context, DashboardLogin login, string? token, string? returnUrl) =>
        {
            if (token is null)
            {
                return Result(Form(returnUrl, null));
            }

            return await SignInAsync(context, login, token, returnUrl);
        });
        open.MapPost("/login", async (HttpContext context, DashboardLogin login) =>
        {
            var form = await context.Request.ReadFormAsync();
            return await SignInAsync(context, login, form["token"], form["returnUrl"]);
        });
        open.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(DashboardLogin.Scheme);
            return HttpResults.Redirect("/login", permanent: false);
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext context, DashboardLogin login, string? token, string? returnUrl)
    {
        if (login.Check(token) is not { } caller)
        {
            LogRefused(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Kernelsmith.Dashboard"), context.Connection.RemoteIpAddress?.ToString() ?? "?");
            // The form again with the problem (200: a browser would log a 401 document as a console error).
            return Result(Form(returnUrl, "That token is not one this cluster knows: give the cluster token, your own user token, or the dashboard's login token."));
        }

        await DashboardLogin.SignInAsync(context, caller);
        return HttpResults.Redirect(LocalOrHome(returnUrl));
    }

    /// <summary>Only a path on this site: an absolute or protocol-relative URL would send the user elsewhere after signing in.</summary>
    public static string LocalOrHome(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] != '/' && url[1] != '\\' ? url : "/";

    private static string Form(string? returnUrl, string? error) => Page("Sign in", "", $"""
        <p>The dashboard shows this cluster's sweeps to the holders of its tokens.</p>
        {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
        <form method="post" action="/login" class="login">
          <input type="hidden" name="returnUrl" value="{E(LocalOrHome(returnUrl))}">
          <label for="token">Token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
          <button type="submit">Sign in</button>
        </form>
        """, null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sign-in refused from {Address}: unknown token")]
    private static partial void LogRefused(ILogger logger, string address);
}
