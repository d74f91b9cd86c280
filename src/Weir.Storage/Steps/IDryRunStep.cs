namespace Weir.Storage.Steps;

/// <summary>
/// A step that honours <see cref="StepContext.DryRun"/>: it says what it would do and changes nothing,
/// returning the outputs it would have. The runner skips every other step in a dry run.
/// </summary>
public interface IDryRunStep : IStep
{
}
