using Xunit;

namespace Weir.Testing;

/// <summary>
/// One tests/infra server for a whole xunit collection (a collection fixture derives from this, naming its script):
/// started on a free port of 127.0.0.1 in a folder of its own, stopped by PID and the folder removed at the end.
/// </summary>
/// <param name="script">The script in tests/infra, e.g. <c>s3rver.sh</c>.</param>
public abstract class InfraServerFixture(string script) : IAsyncLifetime
{
    private InfraServer? _server;

    /// <summary>The server's folder (its state, and the files <see cref="PrepareAsync"/> writes before it starts).</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("weir-" + Path.GetFileNameWithoutExtension(script) + "-").FullName;

    /// <summary>What the script printed last when it started: the server's URL.</summary>
    public string Endpoint => (_server ?? throw new InvalidOperationException($"{script} has not started.")).Url;

    /// <summary>The arguments after the port (<c>SCRIPT start DIR PORT ARGUMENTS</c>). <value>Defaults to none.</value></summary>
    protected virtual IReadOnlyList<string> Arguments => [];

    public async Task InitializeAsync()
    {
        await PrepareAsync().ConfigureAwait(false);
        _server = await InfraServer.StartOnFreePortAsync(script, Directory, [.. Arguments]).ConfigureAwait(false);
        await StartedAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        TempFolder.Delete(Directory);
    }

    /// <summary>Writes what the server reads at start into <see cref="Directory"/>. <value>Does nothing by default.</value></summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Reads what the server wrote at start. <value>Does nothing by default.</value></summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;
}
