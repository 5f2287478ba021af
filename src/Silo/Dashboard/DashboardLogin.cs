using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kernelsmith.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// Who may sign in to the dashboard: whoever holds a sweep API token (the cluster's or a user's) or the dashboard's login
/// token. An open cluster has no API token, so its dashboard always has a login token: configured, or generated here.
/// </summary>
public sealed class DashboardLogin
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "kernelsmith-dashboard";
    private const string AdminClaim = "kernelsmith.admin";

    private readonly ApiTokens _tokens;
    private readonly byte[]? _loginToken;

    public DashboardLogin(ApiTokens tokens, IOptions<DashboardOptions> options)
    {
        _tokens = tokens;
        var login = options.Value.LoginToken is { Length: > 0 } configured
            ? configured
            : tokens.Open ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)) : null;
        LoginToken = login;
        _loginToken = login is null ? null : Encoding.UTF8.GetBytes(login);
    }

    /// <summary>The login token besides the API's (configured or generated for an open cluster); null when there is none.</summary>
    public string? LoginToken { get; }

    /// <summary>The caller a presented token signs in as, or null when it is no known token.</summary>
    public ApiCaller? Check(string? token)
    {
        var presented = Encoding.UTF8.GetBytes(token ?? "");
        var caller = _tokens.Open ? null : _tokens.Find(presented);
        // Compared even when the API token matched, so the time taken does not say which kind of token it was.
        var login = _loginToken is not null && CryptographicOperations.FixedTimeEquals(_loginToken, presented);
        return caller ?? (login ? ApiCaller.Operator : null);
    }

    /// <summary>Sets the HttpOnly, SameSite=Strict session cookie for <paramref name="caller"/>.</summary>
    public static Task SignInAsync(HttpContext context, ApiCaller caller)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name), new Claim(AdminClaim, caller.Admin ? "true" : "false")], Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The signed-in caller of a request the authorization policy let through.</summary>
    public static ApiCaller Of(HttpContext context) =>
        new(context.User.Identity?.Name ?? "", context.User.HasClaim(AdminClaim, "true"));

    /// <summary>The cookie: HttpOnly, SameSite=Strict (no other site can make a browser send it, so no cross-site POST), expiring after 12 idle hours.</summary>
    public static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = "/login";
        cookie.LogoutPath = "/logout";
        cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
        cookie.SlidingExpiration = true;
        cookie.Events.OnRedirectToLogin = context =>
        {
            // Pages redirect to the login; data, event streams and form posts answer 401, which a script can act on.
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/events")
                && !context.Request.Path.StartsWithSegments("/data"))
            {
                context.Response.Redirect(context.RedirectUri);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return Task.CompletedTask;
        };
    }
}
