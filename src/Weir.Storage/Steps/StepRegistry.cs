namespace Weir.Storage.Steps;

/// <summary>The steps a runner knows, by name.</summary>
public sealed class StepRegistry
{
    private readonly Dictionary<string, IStep> _steps = new(StringComparer.Ordinal);

    /// <summary>A registry with the built-in steps.</summary>
    public static StepRegistry CreateDefault()
    {
        var registry = new StepRegistry()
            .Add(new SetWorkingDirectoryStep())
            .Add(new RunShellScriptStep())
            .Add(new GitCloneStep())
            .Add(new Docker.BuildDockerImageStep())
            .Add(new Docker.PushDockerImageStep());
        foreach (var provider in ObjectStores.ObjectStoreProvider.All)
        {
            registry.Add(new ObjectStores.ObjectStorePushStep(provider)).Add(new ObjectStores.ObjectStorePullStep(provider));
        }

        return registry;
    }

    /// <summary>Adds (or replaces) a step.</summary>
    public StepRegistry Add(IStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps[step.Name] = step;
        return this;
    }

    /// <summary>The names known, sorted.</summary>
    public IEnumerable<string> Names => _steps.Keys.Order(StringComparer.Ordinal);

    /// <summary>Finds the step a definition names (by its last dotted part), or throws naming the step, where it stands and the known names.</summary>
    public IStep Get(StepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return _steps.TryGetValue(definition.ShortName, out var step)
            ? step
            : throw new StepFailedException(definition, $"{definition.Describe()}: there is no step named '{definition.Name}'. Known steps: {string.Join(", ", Names)}.");
    }
}
