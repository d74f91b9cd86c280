using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Weir.Storage.Git;

/// <summary>
/// The last remote ref check of each (mirror, ref, credentials), kept in memory for this process and in a small file next
/// to the mirror (<c>NAME-HASH.git.refs/HASH</c>: the SHA, the check's start in Unix milliseconds, the ref) for
/// other processes on the same <c>WEIR_HOME</c>. Files are replaced whole (written aside, then renamed), so a
/// reader without the mirror's lock sees the old record or the new one, never half of one; they are written
/// only under the mirror's lock, after the mirror holds the commit they name.
/// </summary>
internal static class RefCheckRecords
{
    private static readonly ConcurrentDictionary<string, RefCheck> s_memory = new(StringComparer.Ordinal);

    /// <summary>The folder of <paramref name="mirror"/>'s records.</summary>
    public static string Folder(string mirror) => mirror + ".refs";

    /// <summary>
    /// The record file of <paramref name="reference"/> (<c>HEAD</c> or <c>refs/heads/BRANCH</c>) of <paramref name="mirror"/>
    /// as checked with <paramref name="credentials"/>. Runs with other credentials keep records of their own, so a
    /// token the server no longer takes is refused at its own next check, never hidden behind another deployment's.
    /// The name is a hash, salted with the mirror's path; no credential is written anywhere.
    /// </summary>
    public static string PathFor(string mirror, string reference, GitCredentials credentials)
    {
        var key = $"weir ref check\n{mirror}\n{reference}\n{credentials.Username}\n{credentials.Password}\n{credentials.SshPrivateKey}";
        return Path.Combine(Folder(mirror), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]);
    }

    /// <summary>This process's latest record of <paramref name="file"/>, without touching the disk.</summary>
    public static RefCheck? Remembered(string file) => s_memory.TryGetValue(file, out var check) ? check : null;

    /// <summary>The record in <paramref name="file"/> (and remembers it); null when there is none or it cannot be read.</summary>
    public static RefCheck? Read(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.Split(' ', 3, StringSplitOptions.TrimEntries);
        if (parts.Length < 2 || parts[0].Length is not (40 or 64) || !parts[0].All(char.IsAsciiHexDigitLower)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return null;
        }

        var check = new RefCheck(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
        Remember(file, check);
        return check;
    }

    /// <summary>Records a check (call it under the mirror's lock).</summary>
    public static void Save(string file, string reference, RefCheck check)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var staging = file + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(staging, string.Create(CultureInfo.InvariantCulture, $"{check.Sha} {check.Started.ToUnixTimeMilliseconds()} {reference}\n"));
        File.Move(staging, file, overwrite: true);
        s_memory[file] = check;
    }

    /// <summary>The commits the records of <paramref name="mirror"/> name: the tips its branches had when last checked.</summary>
    public static IReadOnlySet<string> Tips(string mirror)
    {
        var folder = Folder(mirror);
        if (!Directory.Exists(folder))
        {
            return new HashSet<string>();
        }

        return Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).Contains(".tmp-", StringComparison.Ordinal))
            .Select(Read)
            .OfType<RefCheck>()
            .Select(c => c.Sha)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Drops this process's memory of <paramref name="file"/>, as a process that only has the file would be (tests).</summary>
    internal static void Forget(string file) => s_memory.TryRemove(file, out _);

    // A record read without the lock may be older than one this process saved meanwhile: keep the newer.
    private static void Remember(string file, RefCheck check) =>
        s_memory.AddOrUpdate(file, check, (_, known) => check.Started >= known.Started ? check : known);
}
