using Weir.Client;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// One <see cref="TestServer"/> for a whole xunit collection (a collection fixture derives from this and names it in its
/// <c>ICollectionFixture</c>), with a home folder for the CLI and the tests' projects, removed at the end.
/// </summary>
public class WeirServerFixture : IAsyncLifetime
{
    /// <summary>The CLI's WEIR_HOME (and room for projects); the server has a home of its own.</summary>
    public string Home { get; } = Directory.CreateTempSubdirectory("weir-test-home-").FullName;

    public TestServer Server { get; private set; } = null!;

    public WeirClient Client => Server.Client;

    /// <summary>The real <c>weir</c> with <see cref="Home"/>, talking to <see cref="Server"/>.</summary>
    public WeirCli Cli => new(Home, Server.Url);

    /// <summary>How the collection's server is set up. <value>Defaults to <see cref="TestServerOptions"/>'s defaults.</value></summary>
    protected virtual TestServerOptions Options => new();

    public virtual async Task InitializeAsync() => Server = await TestServer.StartAsync(Options).ConfigureAwait(false);

    public virtual async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }

        TempFolder.Delete(Home);
    }
}
