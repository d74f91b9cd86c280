namespace Weir.Server.Ui;

/// <summary>What every page shows around its content: version, database, the time it was rendered, whether someone is logged in.</summary>
public sealed record PageChrome(string Version, string Database, DateTimeOffset Now, bool SignedIn);
