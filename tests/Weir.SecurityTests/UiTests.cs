using System.Text;

namespace Weir.SecurityTests;

/// <summary>
/// Issue 16, points 5 and 6, against the secured cluster's real server (with a key) and a server without one: return paths
/// stay on the site, a body-less cross-site POST is refused, a cookie dies with its logout, and logins are rate-limited.
/// </summary>
[Collection(SecuredCollection.Name)]
public sealed class UiTests(SecuredCluster cluster)
{
    /// <summary>Return paths a browser would follow off the site if the server took them as they are.</summary>
    public static TheoryData<string> Payloads() => ["/\t/evil.example", "//evil.example", "/\\evil.example", "https:evil.example", "/\n/evil.example", "/ünï\u202e//evil.example", "\u00e9//evil.example"];

    private static HttpClient Browser(Uri url) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url };

    /// <summary>Logs in with <paramref name="key"/>; the session cookie's value.</summary>
    public static async Task<string> LoginAsync(HttpClient browser, string key, string back = "/")
    {
        using var response = await PostLoginAsync(browser, key, back);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("weir_session=", StringComparison.Ordinal));
        return cookie["weir_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string key, string back = "/") =>
        browser.PostAsync("/login", new FormUrlEncodedContent([new("key", key), new("return", back)]));

    /// <summary>Where a browser goes with <paramref name="location"/> from the site, or null when it stays on it.</summary>
    private static string? OffSite(Uri site, string location)
    {
        // What browsers do to a URL before they resolve it (the WHATWG URL parser): tabs and newlines go, backslashes are slashes.
        var cleaned = location.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace('\\', '/');
        var target = new Uri(site, cleaned);
        return target.Host == site.Host && target.Port == site.Port ? null : target.ToString();
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Login_ReturnPath_StaysOnTheSite_WithAKeyAndWithout(string payload)
    {
        using var keyed = Browser(cluster.Url);
        using var afterLogin = await PostLoginAsync(keyed, SecuredCluster.AdminKey, payload);
        afterLogin.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        OffSite(cluster.Url, afterLogin.Headers.NonValidated["Location"].ToString()).ShouldBeNull();
        using var page = await keyed.GetAsync("/login?return=" + Uri.EscapeDataString(payload));
        ((int)page.StatusCode).ShouldBeLessThan(500);

        await using var open = await TestServer.StartAsync(new TestServerOptions { BackgroundServices = false });
        using var openBrowser = Browser(open.Url);
        using var onward = await openBrowser.GetAsync("/login?return=" + Uri.EscapeDataString(payload));
        onward.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        OffSite(open.Url, onward.Headers.NonValidated["Location"].ToString()).ShouldBeNull();
    }

    [Fact]
    public async Task Api_BodylessForeignPost_IsRefused_OnAServerWithoutAKey()
    {
        await using var open = await TestServer.StartAsync(new TestServerOptions { BackgroundServices = false });
        await open.Client.PutPoolAsync("csrf", WorkPoolTypes.Process, null, default);
        using var page = Browser(open.Url);

        using var bodyless = new HttpRequestMessage(HttpMethod.Post, "/api/work-pools/csrf/claims");
        bodyless.Headers.Add("Origin", "https://evil.example");
        (await page.SendAsync(bodyless)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var hidden = new HttpRequestMessage(HttpMethod.Post, "/api/work-pools/csrf/claims") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        (await page.SendAsync(hidden)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a simple request whose page hid its Origin");
        (await open.Client.ListRunsAsync(10, default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cookie_AfterLogout_IsRefused()
    {
        using var browser = Browser(cluster.Url);
        var session = await LoginAsync(browser, SecuredCluster.AdminKey);
        (await PageAsync(browser, session)).ShouldBe(HttpStatusCode.OK);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add("Cookie", "weir_session=" + session);
        (await browser.SendAsync(logout)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await PageAsync(browser, session)).ShouldBe(HttpStatusCode.Redirect, "the session ended with its logout");
    }

    [Fact]
    public async Task Login_SixthBadKeyWithinAMinute_Gets429()
    {
        // A server of its own: the limit would hold every other login from 127.0.0.1 for a minute.
        await using var server = await TestServer.StartAsync(new TestServerOptions { ApiKey = "limit-admin-key-0123456789", BackgroundServices = false });
        using var browser = Browser(server.Url);
        for (var i = 1; i <= 5; i++)
        {
            using var bad = await PostLoginAsync(browser, "guess-" + i);
            ((int)bad.StatusCode).ShouldNotBe(429, $"bad login {i}");
        }

        using var sixth = await PostLoginAsync(browser, "guess-6");
        ((int)sixth.StatusCode).ShouldBe(429);
        sixth.Headers.RetryAfter.ShouldNotBeNull();
    }

    private static async Task<HttpStatusCode> PageAsync(HttpClient browser, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/variables");
        request.Headers.Add("Cookie", "weir_session=" + session);
        using var response = await browser.SendAsync(request);
        return response.StatusCode;
    }
}
