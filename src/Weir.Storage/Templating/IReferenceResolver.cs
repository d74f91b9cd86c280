namespace Weir.Storage.Templating;

/// <summary>Looks up the blocks and variables that <c>{{ weir.blocks.* }}</c> and <c>{{ weir.variables.* }}</c> refer to.</summary>
public interface IReferenceResolver
{
    /// <summary>The block, or null when there is none of that type and name.</summary>
    ValueTask<BlockValue?> GetBlockAsync(string blockType, string blockName, CancellationToken cancellationToken);

    /// <summary>The variable's value; <paramref name="found"/> is false when there is none.</summary>
    ValueTask<(bool Found, object? Value)> GetVariableAsync(string name, CancellationToken cancellationToken);
}
