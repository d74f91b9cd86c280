using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Engine;

/// <summary>What <see cref="Secret"/>, <see cref="Block"/> and <see cref="Variable"/> share: finding the run's source and recording what it revealed.</summary>
internal static class RunValues
{
    public static async Task<RunBlock> GetBlockAsync(string type, string name, string what, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var scope = ScopeFor(what);
        var block = await scope.Values!.GetBlockAsync(type, name, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException(type == "secret"
                ? $"There is no secret '{name}' on the Weir server; create it with: weir secret set {name}"
                : $"There is no {type} block '{name}' on the Weir server; create it with: weir block create {type} {name}");
        foreach (var field in block.SecretFields)
        {
            scope.Redactor.Add(block.Fields[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : block.Fields[field]?.ToJsonString());
        }

        return block;
    }

    public static Task<string?> GetVariableAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ScopeFor($"Variable.GetAsync(\"{name}\")").Values!.GetVariableAsync(name, cancellationToken);
    }

    private static FlowRunScope ScopeFor(string what)
    {
        var scope = RunContext.Current?.Scope
            ?? throw new InvalidOperationException($"{what} reads from the Weir server of the flow run it is called in, and no flow run is going here: call it from flow or task code that a worker or weir run runs.");
        return scope.Values is null
            ? throw new InvalidOperationException($"{what}: this flow run has no Weir server to read from (its host gave it none).")
            : scope;
    }
}
