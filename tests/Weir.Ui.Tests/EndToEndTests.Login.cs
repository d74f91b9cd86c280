using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Weir.Ui.Tests;

/// <summary>The login in a real browser: what Chromium does with a session cookie after logout and with a crafted return path.</summary>
public sealed partial class EndToEndTests
{
    /// <summary>Return paths an attacker would put in a link to the login page; Chromium would follow each to evil.example if it got it.</summary>
    private static readonly string[] s_offSiteReturns = ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", " //evil.example"];

    [Fact]
    public async Task Login_AfterLogout_TheOldCookieIsRefused()
    {
        var server = fixture.KeyedServer.Url;
        var context = await fixture.Browser.Browser!.NewContextAsync();
        var later = await fixture.Browser.Browser!.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(server, "/variables").ToString());
            await LogInAsync(page);
            await Expect(page).ToHaveTitleAsync("Variables · Weir");
            var cookie = (await context.CookiesAsync()).Single(c => c.Name == "weir_session");

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await Expect(page).ToHaveTitleAsync("Log in · Weir");
            (await context.CookiesAsync()).ShouldNotContain(c => c.Name == "weir_session", "the browser dropped it");

            // Someone who kept a copy of the cookie gets the login page, not the UI.
            await later.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path, HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
            var copy = await later.NewPageAsync();
            await copy.GotoAsync(new Uri(server, "/variables").ToString());
            await Expect(copy).ToHaveTitleAsync("Log in · Weir");
            await Screenshot(copy, "13-old-cookie-after-logout");

            // Logging in again gives a new session, not the old one back.
            await LogInAsync(page);
            (await context.CookiesAsync()).Single(c => c.Name == "weir_session").Value.ShouldNotBe(cookie.Value);
        }
        finally
        {
            await context.CloseAsync();
            await later.CloseAsync();
        }
    }

    [Fact]
    public async Task Login_ReturnPathsThatWouldLeaveTheSite_LandOnTheDashboard_AndANonAsciiOneIsFollowed()
    {
        var server = fixture.KeyedServer.Url;
        var origin = server.GetLeftPart(UriPartial.Authority);
        var context = await fixture.Browser.Browser!.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            foreach (var back in s_offSiteReturns)
            {
                await page.GotoAsync($"{origin}/login?return={Uri.EscapeDataString(back)}");
                await LogInAsync(page);
                await Expect(page).ToHaveTitleAsync("Dashboard · Weir");
                page.Url.ShouldBe(origin + "/", $"return path {System.Text.Json.JsonSerializer.Serialize(back)}");
            }

            await page.GotoAsync($"{origin}/login?return={Uri.EscapeDataString("/variables?q=über")}");
            await LogInAsync(page);
            await Expect(page).ToHaveTitleAsync("Variables · Weir");
            page.Url.ShouldBe(origin + "/variables?q=%C3%BCber");
        }
        finally
        {
            await context.CloseAsync();
        }

        // A server without a key has no login and sends the browser on at once: to the site's own root.
        var open = fixture.Server.Url.GetLeftPart(UriPartial.Authority);
        var openPage = await fixture.Browser.NewPageAsync();
        try
        {
            foreach (var back in s_offSiteReturns)
            {
                await openPage.GotoAsync($"{open}/login?return={Uri.EscapeDataString(back)}");
                await Expect(openPage).ToHaveTitleAsync("Dashboard · Weir");
                openPage.Url.ShouldBe(open + "/", $"return path {System.Text.Json.JsonSerializer.Serialize(back)}");
            }
        }
        finally
        {
            await openPage.CloseAsync();
        }
    }

    private static async Task LogInAsync(IPage page)
    {
        await Expect(page).ToHaveTitleAsync("Log in · Weir");
        await page.GetByLabel("API key").FillAsync(UiFixture.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page).Not.ToHaveTitleAsync("Log in · Weir");
    }
}
