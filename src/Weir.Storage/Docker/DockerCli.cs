using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Weir.Storage.Docker;

/// <summary>
/// Runs the <c>docker</c> command line. It talks to the daemon that <c>DOCKER_HOST</c> names (or the
/// default socket), with the credentials of <c>docker login</c>, exactly as a person's docker would.
/// The program is <c>docker</c> on the PATH unless <c>WEIR_DOCKER</c> names another.
/// </summary>
public sealed class DockerCli
{
    private const int TailLines = 30;

    /// <summary>Uses <paramref name="fileName"/>, else <c>WEIR_DOCKER</c>, else <c>docker</c>.</summary>
    public DockerCli(string? fileName = null)
    {
        FileName = fileName ?? (Environment.GetEnvironmentVariable("WEIR_DOCKER") is { Length: > 0 } configured ? configured : "docker");
    }

    /// <summary>The program run.</summary>
    public string FileName { get; }

    /// <summary>
    /// Runs <c>docker ARGUMENTS</c> and waits for it. Every line it prints goes to <paramref name="output"/>
    /// (<c>true</c> for standard error). Cancelling kills the command. Throws <see cref="DockerException"/>
    /// only when the program cannot be started; a failing command returns its exit code. With
    /// <paramref name="keepStandardInputOpen"/> its standard input stays open (and empty) until it exits: a
    /// lifeline that closes when this process dies (<c>docker run -i</c> passes the end on to the container).
    /// </summary>
    public async Task<DockerResult> RunAsync(
        IEnumerable<string> arguments, Action<string, bool>? output, CancellationToken cancellationToken,
        string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null, bool keepStandardInputOpen = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var tail = new Queue<string>();
        void Record(string? line, bool isError)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                if (!isError)
                {
                    stdout.Append(line).Append('\n');
                }

                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }

            output?.Invoke(line, isError);
        }

        process.OutputDataReceived += (_, e) => Record(e.Data, false);
        process.ErrorDataReceived += (_, e) => Record(e.Data, true);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new DockerException($"Could not start '{FileName}' ({ex.Message}). Install Docker (Debian: apt-get install docker.io) or set WEIR_DOCKER to the docker command.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
        }

        if (!keepStandardInputOpen)
        {
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // WaitForExitAsync returns once the output pipes are drained too.
        lock (tail)
        {
            return new DockerResult(process.ExitCode, stdout.ToString(), [.. tail]);
        }
    }

    /// <summary>True when the daemon has the image locally.</summary>
    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) =>
        (await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], null, cancellationToken).ConfigureAwait(false)).Succeeded;

    /// <summary>
    /// Copies the file <paramref name="pathInImage"/> out of <paramref name="image"/> to <paramref name="destination"/>
    /// without running anything in it (<c>docker create</c>, which pulls a missing image with this docker's login,
    /// then <c>docker cp</c> and <c>docker rm</c>), so it works on images with no shell. Throws <see cref="DockerException"/>
    /// naming the image and the path when it cannot.
    /// </summary>
    public async Task CopyFromImageAsync(string image, string pathInImage, string destination, CancellationToken cancellationToken)
    {
        var created = await RunAsync(["create", "--label", "weir.purpose=read-file", image, "/weir-reads-a-file-and-never-runs-this"], null, cancellationToken).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            throw new DockerException($"Could not open the image {image} to read {pathInImage} (docker create exited with {created.ExitCode}): {created.Tail}\n"
                + "Check the image name and tag, and that this docker can pull it (docker login to its registry).");
        }

        var container = created.StandardOutput.Trim().Split('\n')[^1].Trim();
        try
        {
            var copied = await RunAsync(["cp", container + ":" + pathInImage, destination], null, cancellationToken).ConfigureAwait(false);
            if (!copied.Succeeded || !File.Exists(destination))
            {
                throw new DockerException($"The image {image} holds no file {pathInImage} ({(copied.Succeeded ? "it is a folder" : copied.Tail)}).");
            }
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            _ = await RunAsync(["rm", "--force", container], null, cleanup.Token).ConfigureAwait(false);
        }
    }
}
