namespace Weir.Storage.Config;

/// <summary>Gives a whole tree one location: for text Weir wrote itself, or steps read back from a deployment, whose own positions mean nothing to people.</summary>
public static class ConfigLocations
{
    /// <summary>The same tree with every node (and key) at <paramref name="location"/>.</summary>
    public static ConfigNode Relocate(ConfigNode node, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node switch
        {
            ConfigMap map => new ConfigMap([.. map.Entries.Select(e => new KeyValuePair<string, ConfigNode>(e.Key, Relocate(e.Value, location)))], location),
            ConfigList list => new ConfigList([.. list.Items.Select(i => Relocate(i, location))], location),
            ConfigScalar scalar => scalar with { Location = location },
            _ => node,
        };
    }
}
