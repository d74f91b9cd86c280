namespace Weir.Storage.Git;

/// <summary>
/// File-tree work on shared checkouts: freezing one read-only and deleting one. Symbolic links (a repository
/// may hold them) are never followed, so no link can make Weir change anything outside the tree.
/// </summary>
internal static class CheckoutTree
{
    private const UnixFileMode AnyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// Takes write permission away from every file and folder under <paramref name="root"/>, itself included. A
    /// worker that is not root then cannot change a shared checkout by mistake (root ignores the bits).
    /// </summary>
    public static void Freeze(string root)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = new DirectoryInfo(root);
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            if (entry is DirectoryInfo child)
            {
                Freeze(child.FullName);
            }
            else
            {
                entry.UnixFileMode &= ~AnyWrite;
            }
        }

        folder.UnixFileMode &= ~AnyWrite;
    }

    /// <summary>Deletes <paramref name="root"/> when it exists, first giving its folders back the permissions that removing their entries needs.</summary>
    public static void Delete(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            Thaw(new DirectoryInfo(root));
        }

        Directory.Delete(root, recursive: true);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Thaw(DirectoryInfo folder)
    {
        if (folder.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return;
        }

        folder.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var child in folder.EnumerateDirectories())
        {
            Thaw(child);
        }
    }
}
