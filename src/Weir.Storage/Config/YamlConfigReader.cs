using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Weir.Storage.Config;

/// <summary>
/// Reads YAML into <see cref="ConfigNode"/> trees, keeping each value's line and column. Plain
/// scalars are typed by the YAML core schema (null, booleans, numbers); quoted scalars are strings.
/// </summary>
public static class YamlConfigReader
{
    /// <summary>Reads a YAML file. Errors are <see cref="ConfigException"/> naming the file, line and column.</summary>
    public static ConfigNode ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found (looked at {Path.GetFullPath(path)}).", path);
        }

        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            // Name the place: a file saved as Latin-1 would otherwise turn into odd names or a YAML error somewhere later.
            var at = start + Math.Max(0, ex.Index);
            var lineStart = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, at - 1)) + 1;
            var line = 1 + bytes.AsSpan(0, lineStart).Count((byte)'\n');
            var bad = at < bytes.Length ? $" (byte 0x{bytes[at]:X2})" : string.Empty;
            throw new ConfigException(new SourceLocation(path, line, at - lineStart + 1), $"the file is not UTF-8 text{bad}; save it as UTF-8.");
        }

        return Read(text, path);
    }

    private static readonly System.Text.UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads YAML text; <paramref name="sourceName"/> names it in locations (with line and column).</summary>
    public static ConfigNode Read(string yaml, string sourceName) => Located(yaml, sourceName);

    private static ConfigNode Located(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            if (ex.Message.StartsWith("Duplicate key ", StringComparison.Ordinal))
            {
                throw new ConfigException(Location(sourceName, ex.Start), $"the key '{ex.Message["Duplicate key ".Length..]}' appears twice in the same mapping.");
            }

            var inner = ex.InnerException?.Message is { Length: > 0 } detail && detail != ex.Message ? " " + detail : string.Empty;
            throw new ConfigException(Location(sourceName, ex.Start), "this is not valid YAML: " + ex.Message + inner);
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigMap([], new SourceLocation(sourceName, 1, 1));
        }

        if (stream.Documents.Count > 1)
        {
            throw new ConfigException(Location(sourceName, stream.Documents[1].RootNode.Start), "only one YAML document is allowed here; remove the second '---'.");
        }

        return Convert(stream.Documents[0].RootNode, sourceName);
    }

    private static ConfigNode Convert(YamlNode node, string source)
    {
        var location = Location(source, node.Start);
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                var keys = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new ConfigException(Location(source, key.Start), "keys must be plain names.");
                    }

                    if (!keys.TryAdd(name, Location(source, key.Start)))
                    {
                        throw new ConfigException(Location(source, key.Start), $"the key '{name}' appears twice in the same mapping.");
                    }

                    entries.Add(new(name, Convert(value, source)));
                }

                return new ConfigMap(entries, location) { KeyLocations = keys };
            case YamlSequenceNode list:
                return new ConfigList([.. list.Children.Select(c => Convert(c, source))], location);
            case YamlScalarNode scalar:
                return new ConfigScalar(scalar.Style == ScalarStyle.Plain ? TypePlain(scalar.Value) : scalar.Value ?? string.Empty, location);
            default:
                throw new ConfigException(location, $"YAML aliases and tags are not supported here ({node.NodeType}).");
        }
    }

    private static object? TypePlain(string? text)
    {
        switch (text)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if ((char.IsDigit(text[0]) || text[0] is '-' or '+' or '.') && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return text;
    }

    private static SourceLocation Location(string source, Mark mark) => new(source, (int)mark.Line, (int)mark.Column);
}
