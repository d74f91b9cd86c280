namespace Weir.Storage.Steps;

/// <summary><c>set_working_directory</c>: the flow's code is in a folder on the worker (local storage). Later steps and the flow run from it.</summary>
internal sealed class SetWorkingDirectoryStep : IDryRunStep
{
    public string Name => "set_working_directory";

    public IReadOnlyCollection<string> Arguments { get; } = ["directory"];

    public Task<IReadOnlyDictionary<string, object?>> RunAsync(StepArguments arguments, StepContext context, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(arguments.GetRequiredString("directory"), context.WorkingDirectory);
        if (!Directory.Exists(directory))
        {
            throw new StepException($"the directory '{directory}' does not exist on this worker.");
        }

        context.WorkingDirectory = directory;
        return Task.FromResult<IReadOnlyDictionary<string, object?>>(new Dictionary<string, object?> { ["directory"] = directory });
    }
}
