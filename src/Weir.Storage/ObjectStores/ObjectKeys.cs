namespace Weir.Storage.ObjectStores;

/// <summary>Folder prefixes and the relative paths under them, checked so that nothing lands outside its folder.</summary>
internal static class ObjectKeys
{
    /// <summary>The name of the manifest object under the folder prefix when a step names none.</summary>
    public const string ManifestName = ".weir-manifest.json";

    private const string ManifestStart = ".weir-manifest.";
    private const string ManifestEnd = ".json";

    /// <summary>
    /// The manifest file a step names (<c>manifest</c>): <see cref="ManifestName"/> when it names none,
    /// else <c>.weir-manifest.NAME.json</c> (the argument may be NAME or that whole file name). Each
    /// destination or code-first flow under one folder keeps its own manifest, and a push removes only
    /// files its own manifest lists.
    /// </summary>
    public static string Manifest(string? name, string where)
    {
        if (string.IsNullOrEmpty(name) || name == ManifestName)
        {
            return ManifestName;
        }

        var middle = name.StartsWith(ManifestStart, StringComparison.Ordinal) && name.EndsWith(ManifestEnd, StringComparison.Ordinal) && name.Length > ManifestStart.Length + ManifestEnd.Length
            ? name[ManifestStart.Length..^ManifestEnd.Length]
            : name;
        return middle.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && middle.Trim('.').Length > 0 && !middle.Contains("..", StringComparison.Ordinal)
            ? ManifestStart + middle + ManifestEnd
            : throw new ObjectStoreException($"the manifest name '{name}' for {where} may hold only letters, digits, '.', '-' and '_' (such as 'my_flow.cs'); it becomes the file {ManifestStart}NAME{ManifestEnd}.");
    }

    /// <summary>True for the last part of a key that is a Weir manifest (the default one or a named one).</summary>
    public static bool IsManifest(string fileName) =>
        fileName == ManifestName
        || (fileName.StartsWith(ManifestStart, StringComparison.Ordinal) && fileName.EndsWith(ManifestEnd, StringComparison.Ordinal) && fileName.Length > ManifestStart.Length + ManifestEnd.Length);

    /// <summary>
    /// The key prefix for a folder: empty for the bucket's root, else the folder with one trailing
    /// slash, so that <c>proj</c> never matches <c>proj2/...</c>.
    /// </summary>
    public static string Prefix(string? folder, string where)
    {
        var trimmed = (folder ?? string.Empty).Replace('\\', '/').Trim('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        if (trimmed.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ObjectStoreException($"the folder '{folder}' for {where} has an empty, '.' or '..' part; give a plain path such as 'projects/my-flow'.");
        }

        return trimmed + "/";
    }

    /// <summary>
    /// The local path for a relative key under <paramref name="root"/>, or an error naming the key when
    /// it is absolute or would escape the folder (<c>..</c>, a drive, a backslash or an empty part).
    /// </summary>
    public static string LocalPath(string root, string relativeKey, string describeKey)
    {
        if (!IsSafe(relativeKey))
        {
            throw new ObjectStoreException($"refused the key '{describeKey}': it would be written outside the target folder (absolute, '..' or an empty part). Remove it from the store and push again.");
        }

        var full = Path.GetFullPath(Path.Combine(root, relativeKey));
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return full.StartsWith(rootFull, StringComparison.Ordinal)
            ? full
            : throw new ObjectStoreException($"refused the key '{describeKey}': it would be written outside the target folder. Remove it from the store and push again.");
    }

    /// <summary>True for a plain relative path: '/'-separated parts that are neither empty, '.', nor '..', with no backslash, drive or NUL.</summary>
    public static bool IsSafe(string relativeKey) =>
        relativeKey.Length > 0
        && !relativeKey.StartsWith('/')
        && !relativeKey.Contains('\\', StringComparison.Ordinal)
        && !relativeKey.Contains('\0', StringComparison.Ordinal)
        && !(relativeKey.Length >= 2 && relativeKey[1] == ':')
        && relativeKey.Split('/').All(s => s is not ("" or "." or ".."));
}
