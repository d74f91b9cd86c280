namespace Weir.Storage.Steps;

/// <summary>A built-in step: a named function from arguments to outputs.</summary>
public interface IStep
{
    /// <summary>The name written in <c>weir.yaml</c>, e.g. <c>git_clone</c>.</summary>
    string Name { get; }

    /// <summary>The arguments it takes; any other is an error naming it.</summary>
    IReadOnlyCollection<string> Arguments { get; }

    /// <summary>Runs the step. Throw <see cref="StepException"/> with a sentence for people when it cannot do its work.</summary>
    Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken);
}
