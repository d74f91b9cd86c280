namespace Weir.Server.Auth;

/// <summary>Endpoint metadata: a web UI page. It accepts the login cookie, sends people without a key to the login page, and refuses cross-site posts.</summary>
internal sealed record UiPage;
