using System.Globalization;

namespace Weir.Testing;

/// <summary>
/// A server started by one of the tests/infra scripts (<c>SCRIPT start DIR [PORT] ...</c>, which installs what it needs,
/// records its PIDs in DIR and prints its endpoint last), stopped by <c>SCRIPT stop DIR</c> when disposed.
/// </summary>
/// <param name="script">The script's path.</param>
/// <param name="directory">The folder the script keeps the server's state in.</param>
/// <param name="url">The last line the start printed: the server's URL (or connection string, or host:port).</param>
/// <param name="ownsDirectory">Whether disposing removes <paramref name="directory"/>.</param>
public sealed class InfraServer(string script, string directory, string url, bool ownsDirectory) : IAsyncDisposable
{
    private bool _stopped;

    public string Script => script;

    public string Directory => directory;

    public string Url => url;

    /// <summary>
    /// Runs <c>tests/infra/SCRIPT start DIR ARGUMENTS</c>. Without <paramref name="directory"/>, DIR is a new temp
    /// folder, removed when this is disposed; a given one is the caller's.
    /// </summary>
    public static async Task<InfraServer> StartAsync(string script, string? directory = null, params string[] arguments)
    {
        var owned = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("weir-" + Path.GetFileNameWithoutExtension(script) + "-").FullName;
        var path = Repo.Infra(script);
        var output = await Shell.RunAsync("bash", [path, "start", directory, .. arguments]).ConfigureAwait(false);
        return new InfraServer(path, directory, output.Trim().Split('\n')[^1], owned);
    }

    /// <summary><see cref="StartAsync"/> with a free port on 127.0.0.1 as the first argument (<c>SCRIPT start DIR PORT ARGUMENTS</c>).</summary>
    public static Task<InfraServer> StartOnFreePortAsync(string script, string? directory = null, params string[] arguments) =>
        StartAsync(script, directory, [FreePort.Next().ToString(CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>Runs another command of the script on this server: <c>SCRIPT COMMAND DIR ARGUMENTS</c>; its output.</summary>
    public Task<string> RunAsync(string command, params string[] arguments) => Shell.RunAsync("bash", [Script, command, Directory, .. arguments]);

    /// <summary>Stops the server (<c>SCRIPT stop DIR</c>) and removes its folder if it is this one's.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await RunAsync("stop").ConfigureAwait(false);
        if (ownsDirectory)
        {
            TempFolder.Delete(Directory);
        }
    }
}
