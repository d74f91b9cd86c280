namespace Weir.Client;

/// <summary>An error answer: a sentence naming what is at fault, and the field when one is.</summary>
public sealed record ProblemDto(string Message, string? Field = null);
