namespace Weir.Storage.Templating;

/// <summary>One <c>{{ … }}</c> that templating acts on: a reference, or the escape <c>{{ '{{' }}</c>.</summary>
/// <param name="Start">Where its <c>{{</c> stands in the text.</param>
/// <param name="Length">Its length, braces included.</param>
/// <param name="Reference">What stands between the braces, without the spaces around it.</param>
/// <param name="IsEscape">True for <c>{{ '{{' }}</c>, which stands for a literal <c>{{</c>.</param>
internal readonly record struct Placeholder(int Start, int Length, string Reference, bool IsEscape);
