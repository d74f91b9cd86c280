using System.Security.Cryptography;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// One checkout per commit of a repository (and sparse selection), shared by every run of that commit on this
/// <c>WEIR_HOME</c>: <c>git/trees/NAME-HASH/SHA/NAME</c>, made once under a file lock (checked out aside, moved
/// into place, frozen read-only, then marked ready by <c>SHA.ready</c>) and never changed afterwards. Runs take
/// it without the lock: a run first leases the commit (a symbolic link in <c>SHA.leases/</c> pointing at its
/// run folder, alive for as long as that folder exists), then looks for the marker. The collector, which runs
/// under the lock whenever a new commit's checkout is made, removes a checkout only when no lease is alive,
/// no branch's last check names its commit, and still no lease is alive after it took the marker away; a run
/// that finds no marker takes the lock and makes (or finds) the checkout itself. So a checkout never goes
/// while a run uses it, and an old one goes once a newer commit is out and its last run has ended.
/// </summary>
internal sealed class SharedCheckouts(string cacheDirectory, GitUrl url, IReadOnlyList<string> directories)
{
    private static int s_leases;

    public string Folder { get; } = Path.Combine(cacheDirectory, "git", "trees", $"{url.Name}-{Hash(url.Url + "\n" + string.Join('\n', directories))}");

    /// <summary>Where the shared checkout of <paramref name="sha"/> is (or will be).</summary>
    public string CheckoutPath(string sha) => Path.Combine(Folder, sha, url.Name);

    /// <summary>True when the shared checkout of <paramref name="sha"/> is there and complete.</summary>
    public bool IsReady(string sha) => File.Exists(Marker(sha));

    /// <summary>
    /// Lends the shared checkout of <paramref name="sha"/> to <paramref name="runFolder"/> until that folder is
    /// deleted, making it first with <paramref name="checkOut"/> when needed; returns its path.
    /// </summary>
    public async Task<string> LeaseAsync(string sha, string runFolder, Func<string, CancellationToken, Task> checkOut, Func<IReadOnlySet<string>> keep, CancellationToken cancellationToken)
    {
        // Lease first, then look: a collector that took the marker away reads the leases again before it deletes.
        var lease = Path.Combine(Leases(sha), Hash(runFolder));
        if (!TryLease(lease, runFolder) || !IsReady(sha))
        {
            Directory.CreateDirectory(Folder);
            using var _ = await FileLocks.AcquireAsync(Folder + ".lock", cancellationToken).ConfigureAwait(false);
            if (!IsReady(sha))
            {
                await CreateAsync(sha, checkOut, cancellationToken).ConfigureAwait(false);
                Collect(sha, keep());
            }

            if (!TryLease(lease, runFolder))
            {
                throw new GitException($"cannot record that {runFolder} uses the shared checkout {CheckoutPath(sha)} of {url} (in {Leases(sha)}); check that the worker may write there.");
            }
        }

        if (Interlocked.Increment(ref s_leases) % 64 == 0)
        {
            // Leases outlive their runs as dangling links; clear them now and then, not only when a newer commit comes.
            Prune(sha);
        }

        return CheckoutPath(sha);
    }

    private async Task CreateAsync(string sha, Func<string, CancellationToken, Task> checkOut, CancellationToken cancellationToken)
    {
        var final = Path.Combine(Folder, sha);
        var staging = Path.Combine(Folder, sha + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // A folder without its marker is one a collector or a maker was killed in the middle of.
            CheckoutTree.Delete(final);
            await checkOut(Path.Combine(staging, url.Name), cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, final);
            CheckoutTree.Freeze(final);
            await File.WriteAllTextAsync(Marker(sha), string.Empty, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CheckoutTree.Delete(staging);
        }
    }

    /// <summary>Removes the checkouts no run uses and no branch's last check names, except <paramref name="made"/>; call it under the lock.</summary>
    private void Collect(string made, IReadOnlySet<string> keep)
    {
        foreach (var folder in Directory.GetDirectories(Folder))
        {
            var name = Path.GetFileName(folder);
            if (name.Contains(".tmp-", StringComparison.Ordinal))
            {
                // Staging left by a killed worker: nobody else makes checkouts while the lock is held.
                CheckoutTree.Delete(folder);
                continue;
            }

            if (name == made || keep.Contains(name) || name.Length is not (40 or 64) || !name.All(char.IsAsciiHexDigitLower) || Prune(name))
            {
                continue;
            }

            File.Delete(Marker(name));
            if (Prune(name))
            {
                // A run leased it between the two looks; it found the marker, so it stays.
                File.WriteAllText(Marker(name), string.Empty);
                continue;
            }

            CheckoutTree.Delete(folder);
            if (Directory.Exists(Leases(name)))
            {
                Directory.Delete(Leases(name), recursive: true);
            }
        }
    }

    /// <summary>Removes the dead leases of <paramref name="sha"/>; true when a live one remains.</summary>
    private bool Prune(string sha)
    {
        var leases = Leases(sha);
        if (!Directory.Exists(leases))
        {
            return false;
        }

        var alive = false;
        foreach (var lease in Directory.EnumerateFileSystemEntries(leases))
        {
            // The link resolves while its run folder exists; run folders are never made again under the same name.
            if (Directory.Exists(lease))
            {
                alive = true;
                continue;
            }

            try
            {
                File.Delete(lease);
            }
            catch (IOException)
            {
            }
        }

        return alive;
    }

    private static bool TryLease(string lease, string runFolder)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lease)!);
            File.CreateSymbolicLink(lease, runFolder);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The name is the run folder's hash: a link there already is this run's (a second clone step of the same repository).
            try
            {
                return new FileInfo(lease).LinkTarget == runFolder;
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    private string Marker(string sha) => Path.Combine(Folder, sha + ".ready");

    private string Leases(string sha) => Path.Combine(Folder, sha + ".leases");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
