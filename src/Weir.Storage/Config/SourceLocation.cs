namespace Weir.Storage.Config;

/// <summary>
/// Where a value stands: a file, line and column for <c>weir.yaml</c>, or a description such as
/// <c>deployment 'nightly', pull step 1</c> for steps read back from the server.
/// </summary>
public sealed record SourceLocation(string Source, int Line = 0, int Column = 0)
{
    /// <summary><c>weir.yaml:12:5</c>, or the description alone when there is no line.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}
