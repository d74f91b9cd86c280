using System.Net;
using System.Security.Cryptography;
using System.Text;
using Weir.Server.Tests.Infrastructure;

namespace Weir.Server.Tests;

/// <summary>The web UI's login on a real server, on both databases: sessions, their expiry, the login limit, the cookie, return paths.</summary>
public abstract partial class DatabaseSuite
{
    private const string AdminKey = "admin-key-for-logins";

    /// <summary>A client that follows no redirect and keeps no cookie, so each test says which cookie it sends.</summary>
    private static HttpClient Browserless(TestServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Url };

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string key, string back = "/", string? forwardedFor = null, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent([new("key", key), new("return", back)]) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await http.SendAsync(request);
    }

    private static string SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single(v => v.StartsWith("weir_session=", StringComparison.Ordinal)) : "";

    private static string SessionOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = SetCookie(response);
        cookie.ShouldNotBeEmpty();
        return cookie["weir_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A page asked for with <paramref name="session"/> as the login cookie: 200, or a redirect to the login page.</summary>
    private static async Task<HttpStatusCode> PageAsync(HttpClient http, string session, string path = "/variables")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", "weir_session=" + session);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.ToString().ShouldStartWith("/login?return=");
        }

        return response.StatusCode;
    }

    private static string Location(HttpResponseMessage response) => response.Headers.NonValidated["Location"].ToString();

    [Fact]
    public async Task Login_EachLoginGetsItsOwnRandomSession_WhichTheDatabaseHoldsOnlyAsAHash()
    {
        await using var server = await StartAsync(apiKey: AdminKey);
        using var http = Browserless(server);

        var first = SessionOf(await LoginAsync(http, AdminKey));
        var second = SessionOf(await LoginAsync(http, AdminKey));

        first.ShouldNotBe(second);
        first.Length.ShouldBe(43, "256 random bits in base64url");
        (await PageAsync(http, first)).ShouldBe(HttpStatusCode.OK);
        (await PageAsync(http, second)).ShouldBe(HttpStatusCode.OK);
        var database = await server.DatabaseBytesAsync();
        database.ShouldNotContain(first);
        database.ShouldNotContain(second);
        // The cookie every login used to get (an HMAC of a fixed label under the key) opens nothing.
        var constant = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AdminKey), "weir-ui-session-v1"u8));
        (await PageAsync(http, constant)).ShouldBe(HttpStatusCode.Redirect);
        // Nor does the key itself, or the cookie on the API.
        (await PageAsync(http, AdminKey)).ShouldBe(HttpStatusCode.Redirect);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/variables");
        api.Headers.Add("Cookie", "weir_session=" + first);
        (await http.SendAsync(api)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_AfterLogout_TheOldCookieIsRefused()
    {
        await using var server = await StartAsync(apiKey: AdminKey);
        using var http = Browserless(server);
        var session = SessionOf(await LoginAsync(http, AdminKey));
        var other = SessionOf(await LoginAsync(http, AdminKey));
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.OK);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add("Cookie", "weir_session=" + session);
        using var loggedOut = await http.SendAsync(logout);

        loggedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Location(loggedOut).ShouldBe("/login");
        SetCookie(loggedOut).ShouldStartWith("weir_session=;");
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.Redirect);
        (await PageAsync(http, other)).ShouldBe(HttpStatusCode.OK, "logging out ends that session only");
    }

    [Fact]
    public async Task Login_UnusedFor8Hours_IsRefused_WhileUseKeepsItOpen()
    {
        var clock = FakeTime();
        await using var server = await StartAsync(clock, apiKey: AdminKey);
        using var http = Browserless(server);
        var session = SessionOf(await LoginAsync(http, AdminKey));
        var idle = SessionOf(await LoginAsync(http, AdminKey));

        clock.Advance(TimeSpan.FromHours(7));
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromHours(7));
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.OK, "used 7 hours ago");
        (await PageAsync(http, idle)).ShouldBe(HttpStatusCode.Redirect, "unused for 14 hours");
        clock.Advance(TimeSpan.FromHours(8));
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.Redirect, "unused for 8 hours");
    }

    [Fact]
    public async Task Login_After7Days_IsRefused_HoweverMuchItIsUsed()
    {
        var clock = FakeTime();
        await using var server = await StartAsync(clock, apiKey: AdminKey);
        using var http = Browserless(server);
        var login = await LoginAsync(http, AdminKey);
        CookieAttributes(login).ShouldContain("max-age=604800");
        var session = SessionOf(login);

        for (var hours = 6; hours < 7 * 24; hours += 6)
        {
            clock.Advance(TimeSpan.FromHours(6));
            (await PageAsync(http, session)).ShouldBe(HttpStatusCode.OK, $"{hours} hours after the login");
        }

        clock.Advance(TimeSpan.FromHours(6));
        (await PageAsync(http, session)).ShouldBe(HttpStatusCode.Redirect, "7 days after the login");
    }

    [Fact]
    public async Task Login_SixthBadKeyWithinAMinute_Gets429WithRetryAfter_AndOtherClientsAreNotHeldUp()
    {
        var clock = FakeTime();
        // Behind a proxy on this machine, X-Forwarded-For tells the clients apart.
        await using var server = await StartBehindAProxyAsync(clock, forwarded: true);
        using var http = Browserless(server);
        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync(http, "guess-" + i, forwardedFor: "203.0.113.7")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        using var sixth = await LoginAsync(http, "guess-5", forwardedFor: "203.0.113.7");
        sixth.StatusCode.ShouldBe((HttpStatusCode)429);
        sixth.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(35), "the first failure leaves the minute 35 s from now");
        (await sixth.Content.ReadAsStringAsync()).ShouldContain("Too many wrong keys from your address; try again in 35 s.");
        (await LoginAsync(http, AdminKey, forwardedFor: "203.0.113.7")).StatusCode.ShouldBe((HttpStatusCode)429, "not even the right key, while the limit holds");
        (await LoginAsync(http, "guess-6", forwardedFor: "198.51.100.2")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "another client");

        clock.Advance(TimeSpan.FromSeconds(35));
        SessionOf(await LoginAsync(http, AdminKey, forwardedFor: "203.0.113.7")).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Login_WithoutAProxy_TheSixthBadKeyGets429()
    {
        await using var server = await StartAsync(apiKey: AdminKey);
        using var http = Browserless(server);
        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync(http, "guess-" + i)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var sixth = await LoginAsync(http, "guess-5");
        sixth.StatusCode.ShouldBe((HttpStatusCode)429);
        sixth.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        // Forwarded headers count only when the server is told to trust them.
        (await LoginAsync(http, "guess-6", forwardedFor: "198.51.100.2")).StatusCode.ShouldBe((HttpStatusCode)429);
    }

    [Fact]
    public async Task LoginCookie_IsHttpOnlyAndSameSiteStrict_AndSecureBehindATlsProxyOnlyWhenForwardedHeadersAreOn()
    {
        await using (var direct = await StartBehindAProxyAsync(null, forwarded: false))
        {
            using var http = Browserless(direct);
            var cookie = CookieAttributes(await LoginAsync(http, AdminKey, forwardedProto: "https"));
            cookie.ShouldContain("httponly");
            cookie.ShouldContain("samesite=strict");
            cookie.ShouldNotContain("secure", "X-Forwarded-Proto counts only when the server is told to trust it");
        }

        await using var proxied = await StartBehindAProxyAsync(null, forwarded: true);
        using var client = Browserless(proxied);
        var overTls = CookieAttributes(await LoginAsync(client, AdminKey, forwardedProto: "https"));
        overTls.ShouldContain("secure");
        overTls.ShouldContain("httponly");
        overTls.ShouldContain("samesite=strict");
        var plain = CookieAttributes(await LoginAsync(client, AdminKey));
        plain.ShouldNotContain("secure", "the browser reached the proxy over plain HTTP");
        plain.ShouldContain("httponly");
    }

    [Fact]
    public async Task ForwardedHeaders_CountOnlyFromTheTrustedProxies()
    {
        // The proxy named is elsewhere, so the same headers from this machine are not believed.
        await using (var elsewhere = await StartBehindAProxyAsync(null, forwarded: true, proxies: ["192.0.2.0/24", "198.51.100.9"]))
        {
            using var http = Browserless(elsewhere);
            CookieAttributes(await LoginAsync(http, AdminKey, forwardedProto: "https")).ShouldNotContain("secure");
        }

        await using (var here = await StartBehindAProxyAsync(null, forwarded: true, proxies: ["127.0.0.1"]))
        {
            using var http = Browserless(here);
            CookieAttributes(await LoginAsync(http, AdminKey, forwardedProto: "https")).ShouldContain("secure");
        }

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => StartBehindAProxyAsync(null, forwarded: true, proxies: ["proxy.example"]));
        refused.Message.ShouldBe("The trusted proxy 'proxy.example' (WEIR_TRUSTED_PROXIES) is neither an IP address (10.0.0.5) nor a network (10.0.0.0/8).");
    }

    /// <summary>The login cookie's attributes after its value, lower case (<c>httponly</c>, <c>samesite=strict</c>, …).</summary>
    private static List<string> CookieAttributes(HttpResponseMessage response) =>
        [.. SetCookie(response).Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    /// <summary>Return paths as an attacker writes them, and where the login must send the browser instead.</summary>
    private static readonly (string Requested, string Expected)[] s_returnPaths =
    [
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("/\r\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("\\/evil.example", "/"),
        (" //evil.example", "/"),
        ("\u001f//evil.example", "/"),
        ("https:evil.example", "/"),
        ("https://evil.example/runs", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
        ("", "/"),
        ("/runs?state=Failed", "/runs?state=Failed"),
        ("/runs?flow=über#top", "/runs?flow=%C3%BCber#top"),
        ("/ünï\u202ecode", "/%C3%BCn%C3%AF%E2%80%AEcode"),
        ("/a\\b?c\\d", "/a/b?c\\d"),
    ];

    [Fact]
    public async Task Login_ReturnPaths_StayOnTheSite_AndAreNeverA500()
    {
        await using var keyed = await StartAsync(apiKey: AdminKey);
        await using var open = await StartAsync();
        using var http = Browserless(keyed);
        using var openHttp = Browserless(open);
        foreach (var (requested, expected) in s_returnPaths)
        {
            var what = $"return path {System.Text.Json.JsonSerializer.Serialize(requested)}";
            using var page = await http.GetAsync("/login?return=" + Uri.EscapeDataString(requested));
            page.StatusCode.ShouldBe(HttpStatusCode.OK, what);
            (await page.Content.ReadAsStringAsync()).ShouldContain($"<input type=\"hidden\" name=\"return\" value=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(expected)}\" />", customMessage: what);
            using var login = await LoginAsync(http, AdminKey, requested);
            login.StatusCode.ShouldBe(HttpStatusCode.Redirect, what);
            Location(login).ShouldBe(expected, what);

            // A server without a key has nothing to log in to and sends the browser on at once.
            using var onward = await openHttp.GetAsync("/login?return=" + Uri.EscapeDataString(requested));
            onward.StatusCode.ShouldBe(HttpStatusCode.Redirect, what);
            Location(onward).ShouldBe(expected, what);
            using var posted = await LoginAsync(openHttp, "", requested);
            Location(posted).ShouldBe(expected, what);
        }
    }

    [Fact]
    public async Task Login_PostedWithoutAForm_IsRefusedNotA500()
    {
        await using var server = await StartAsync(apiKey: AdminKey);
        using var http = Browserless(server);
        using var json = await http.PostAsync("/login", new StringContent("{\"key\": \"x\"}", Encoding.UTF8, "application/json"));
        json.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>A server with the admin key that honours forwarded headers or not, from <paramref name="proxies"/> (none: loopback).</summary>
    private async Task<TestServer> StartBehindAProxyAsync(TimeProvider? time, bool forwarded, IReadOnlyList<string>? proxies = null) =>
        await TestServer.StartAsync(new TestServerOptions
        {
            Postgres = await NewDatabaseAsync(), Time = time ?? TimeProvider.System, ApiKey = AdminKey, BackgroundServices = false,
            ForwardedHeaders = forwarded, TrustedProxies = proxies ?? [],
        });
}
