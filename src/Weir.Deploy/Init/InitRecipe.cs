namespace Weir.Deploy.Init;

/// <summary>A <c>weir init</c> recipe: the fields it asks for and the <c>weir.yaml</c> it writes from them.</summary>
/// <param name="Name">Its name (<c>--recipe NAME</c>).</param>
/// <param name="Description">One line about it.</param>
/// <param name="Fields">What it asks for.</param>
/// <param name="Render">The <c>weir.yaml</c> it writes from the answers.</param>
/// <param name="Files">More files it writes next to <c>weir.yaml</c> (name to text), or null.</param>
/// <param name="Next">What to do next, from the answers, or null.</param>
internal sealed record InitRecipe(string Name, string Description, IReadOnlyList<RecipeField> Fields, Func<IReadOnlyDictionary<string, string>, string> Render,
    Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>>? Files = null, Func<IReadOnlyDictionary<string, string>, string>? Next = null);
