using Weir.Storage.Config;
using Weir.Storage.Templating;

namespace Weir.Storage.Steps;

/// <summary>
/// Runs a list of steps in order: resolves each one's placeholders against the outputs of the steps
/// before it (and environment, blocks and variables, as the scope allows), runs it, and records its
/// outputs under its id. Errors name the step and where it stands; secrets are redacted from them.
/// </summary>
public sealed class StepRunner(StepRegistry registry)
{
    /// <summary>Runs the steps and returns each one's outputs, in order. Every step name is checked before the first step runs.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> RunAsync(IReadOnlyList<StepDefinition> steps, StepContext context, TemplateScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(scope);
        var resolved = steps.Select(registry.Get).ToArray();
        var results = new List<IReadOnlyDictionary<string, object?>>(steps.Count);

        for (var i = 0; i < steps.Count; i++)
        {
            var definition = steps[i];
            var step = resolved[i];
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Steps read back from a deployment have no line: their values' location already names the place, so say it once.
                var where = definition.Location.Line > 0 ? definition.Describe() : definition.Title;
                var node = await TemplateResolver.ResolveAsync(definition.Arguments, scope, where, cancellationToken).ConfigureAwait(false);
                var values = (IReadOnlyDictionary<string, object?>)node.ToPlain()!;
                var unknown = values.Keys.Where(k => !step.Arguments.Contains(k)).ToArray();
                if (unknown.Length > 0)
                {
                    throw new StepException($"unknown argument{(unknown.Length > 1 ? "s" : string.Empty)} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; '{step.Name}' takes: {string.Join(", ", step.Arguments)}.");
                }

                IReadOnlyDictionary<string, object?> outputs;
                if (context.DryRun && step is not IDryRunStep)
                {
                    // A shell script or a clone cannot say what it would do without doing it.
                    context.Print($"Dry run: skipping {definition.Describe()} (it would run now; its outputs are placeholders below).");
                    outputs = new DryRunOutputs(definition.Id ?? step.Name);
                }
                else
                {
                    context.Print($"{(context.DryRun ? "Dry run of" : "Running")} {definition.Describe()}");
                    outputs = await step.RunAsync(new StepArguments(step.Name, values), context, cancellationToken).ConfigureAwait(false);
                }

                if (definition.Id is { } id)
                {
                    scope.StepOutputs[id] = outputs;
                }

                results.Add(outputs);
            }
            catch (Exception ex) when (ex is StepException or TemplateException or ConfigException && ex is not StepFailedException)
            {
                var message = ex is TemplateException ? ex.Message : $"{definition.Describe()} failed: {ex.Message}";
                throw new StepFailedException(definition, context.Redactor.Redact(scope.Redactor.Redact(message)), ex);
            }
        }

        return results;
    }
}
