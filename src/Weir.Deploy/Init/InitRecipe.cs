namespace Weir.Deploy.Init;

/// <summary>A <c>weir init</c> recipe: the fields it asks for and the <c>weir.yaml</c> it writes from them.</summary>
internal sealed record InitRecipe(string Name, string Description, IReadOnlyList<RecipeField> Fields, Func<IReadOnlyDictionary<string, string>, string> Render);
