using System.Security.Cryptography;
using System.Text;

namespace Weir.Compiler;

/// <summary>
/// A flow file's text with its directives (<c>#!</c> on the first line, <c>#:package</c>,
/// <c>#:property</c>, <c>#:sdk</c>) read and blanked out: each directive line becomes spaces of the
/// same length, so the compiler's line and column numbers are the user's own.
/// </summary>
internal sealed class FlowSource
{
    private FlowSource(string path, byte[] bytes, string text, IReadOnlyList<PackageReference> packages)
    {
        Path = path;
        Bytes = bytes;
        Text = text;
        Packages = packages;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The file's bytes (what the cache key hashes).</summary>
    public byte[] Bytes { get; }

    /// <summary>The text Roslyn compiles: directives blanked.</summary>
    public string Text { get; }

    /// <summary>The <c>#:package</c> directives, Weir's own excluded.</summary>
    public IReadOnlyList<PackageReference> Packages { get; }

    public static FlowSource Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Flow file '{path}' not found (looked at {System.IO.Path.GetFullPath(path)}).", path);
        }

        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CompilationFailedException(path, [$"{path}(1,1): error WEIR000: the file is not UTF-8 text; save it as UTF-8."]);
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var packages = new List<PackageReference>();
        var errors = new List<string>();
        var compiled = DirectiveReader.Read(text, path, packages, errors);
        if (errors.Count > 0)
        {
            throw new CompilationFailedException(path, errors);
        }

        return new FlowSource(path, bytes, compiled, packages);
    }

    /// <summary>
    /// The build's cache key: the file's bytes, its package directives, the Weir SDK and compiler
    /// builds (version and module id, so a changed rewriter invalidates old builds) and the options.
    /// </summary>
    public string CacheKey(bool optimize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Bytes);
        foreach (var package in Packages.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"\n#:package {package.Name}@{package.Version}"));
        }

        foreach (var assembly in new[] { typeof(FlowAttribute).Assembly, typeof(FlowSource).Assembly })
        {
            var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{assembly.GetName().Name} {version} {assembly.ManifestModule.ModuleVersionId}"));
        }

        hash.AppendData(Encoding.UTF8.GetBytes($"\noptimize={optimize};runtime={Environment.Version}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
