using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>What a page did in the browser: errors, images (and which failed to decode), and resources fetched.</summary>
public sealed record PageProbe(IReadOnlyList<string> Errors, int Images, IReadOnlyList<string> Broken, IReadOnlyList<string> Fetched, IReadOnlyList<string> ConsoleLines, string Dom);

/// <summary>
/// Opens a page in Debian's headless Chromium (installed by scripts/install-deps.sh) and reports what went wrong.
/// Chromium's own logging (<c>--enable-logging=stderr</c>) prints console messages as INFO lines, but not failed
/// loads of images; so a copy of the page gets a probe script first in its head that records uncaught errors,
/// console.error calls and resource load failures (error events, caught in the capture phase), and, at the load
/// event, which images failed to decode and which resources were fetched at all, into a &lt;pre&gt; that
/// <c>--dump-dom</c> then prints. The stderr CONSOLE lines are kept as a second witness.
/// </summary>
public static partial class HeadlessChromium
{
    private const string Probe = """
        <script>
        (function () {
          var errors = [];
          window.addEventListener('error', function (e) {
            var t = e.target;
            errors.push(t && t !== window && t.tagName ? 'resource failed: ' + t.tagName + ' ' + (t.src || t.href || '').slice(0, 80) : 'uncaught: ' + e.message);
          }, true);
          var original = console.error;
          console.error = function () { errors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
          window.addEventListener('load', function () {
            var images = Array.prototype.slice.call(document.images);
            var broken = images.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).map(function (i) { return i.src.slice(0, 80); });
            var fetched = performance.getEntriesByType('resource').map(function (r) { return r.name.slice(0, 120); });
            var pre = document.createElement('pre');
            pre.id = 'kernelsmith-probe';
            pre.textContent = JSON.stringify({ errors: errors, images: images.length, broken: broken, fetched: fetched });
            document.body.appendChild(pre);
          });
        })();
        </script>
        """;

    public static async Task<PageProbe> OpenAsync(string htmlFile)
    {
        var html = await File.ReadAllTextAsync(htmlFile);
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        Assert.True(head >= 0, $"{htmlFile} has no <head>");
        var probed = Path.Combine(Path.GetDirectoryName(htmlFile)!, "probe-" + Path.GetFileName(htmlFile));
        await File.WriteAllTextAsync(probed, html.Insert(head + "<head>".Length, Probe));
        var profile = Directory.CreateTempSubdirectory("kernelsmith-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=10000", "--dump-dom", new Uri(probed).AbsoluteUri,
            })
            {
                info.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = Process.Start(info)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("chromium is not installed: run scripts/install-deps.sh (Debian's chromium package)", e);
            }

            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                await process.WaitForExitAsync(timeout.Token);
                var dom = await stdout;
                var match = ProbeOutput().Match(dom);
                Assert.True(match.Success, $"the probe wrote nothing (exit {process.ExitCode}); stderr:\n{await stderr}");
                using var json = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
                var root = json.RootElement;
                static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
                var console = (await stderr).Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
                return new PageProbe(Strings(root.GetProperty("errors")), root.GetProperty("images").GetInt32(), Strings(root.GetProperty("broken")),
                    Strings(root.GetProperty("fetched")), console, dom);
            }
        }
        finally
        {
            File.Delete(probed);
            Directory.Delete(profile, recursive: true);
        }
    }

    [GeneratedRegex("<pre id=\"kernelsmith-probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeOutput();
}
