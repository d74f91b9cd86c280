namespace Weir.Deploy.Init;

/// <summary>A value a recipe asks for: its key (for <c>--field key=value</c>), the question, and a default when it has one.</summary>
internal sealed record RecipeField(string Key, string Question, string? Default = null, bool Optional = false);
