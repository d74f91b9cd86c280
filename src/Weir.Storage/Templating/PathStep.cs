namespace Weir.Storage.Templating;

/// <summary>One step of a reference's path: a field (<c>.name</c>) or a list item (<c>[0]</c>).</summary>
/// <param name="Key">The field's name, or null for a list item.</param>
/// <param name="Index">The item's index when <paramref name="Key"/> is null.</param>
internal readonly record struct PathStep(string? Key, int Index);
