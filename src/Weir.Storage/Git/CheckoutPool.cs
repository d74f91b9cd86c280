using System.Security.Cryptography;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// Checkouts of one mirror kept in the worker's cache and lent to runs, so that a re-run with unchanged
/// code costs a reset of a checkout instead of writing every file again. A checkout is lent to a run
/// folder by a lease file naming it; the lease ends when that folder is gone (the worker deletes run
/// folders when runs end, and a crashed worker's leftovers end theirs at its next start), so nothing
/// has to remember to give a checkout back. Concurrent runs get different checkouts.
/// </summary>
internal sealed class CheckoutPool(string cacheDirectory, GitUrl url, IReadOnlyList<string> directories)
{
    private string Folder
    {
        get
        {
            var key = url.Url + "\n" + string.Join('\n', directories);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
            return Path.Combine(cacheDirectory, "git", "checkouts", $"{url.Name}-{hash}");
        }
    }

    /// <summary>Lends a checkout folder to <paramref name="runFolder"/>: the repository folder inside it, and whether it is new (empty).</summary>
    public async Task<(string Path, bool IsNew)> LendAsync(string runFolder, CancellationToken cancellationToken)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        using var _ = await FileLocks.AcquireAsync(folder + ".lock", cancellationToken).ConfigureAwait(false);
        for (var n = 0; ; n++)
        {
            var slot = Path.Combine(folder, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var lease = slot + ".lease";
            if (File.Exists(lease) && Directory.Exists((await File.ReadAllTextAsync(lease, cancellationToken).ConfigureAwait(false)).Trim()))
            {
                continue;
            }

            await File.WriteAllTextAsync(lease, runFolder, cancellationToken).ConfigureAwait(false);
            var checkout = Path.Combine(slot, url.Name);
            return (checkout, !Directory.Exists(Path.Combine(checkout, ".git")));
        }
    }
}
