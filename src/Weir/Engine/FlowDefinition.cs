using System.Reflection;

namespace Weir.Engine;

/// <summary>A <see cref="FlowAttribute"/> method found in a compiled assembly.</summary>
internal sealed class FlowDefinition
{
    private FlowDefinition(MethodInfo method, FlowAttribute attribute)
    {
        Method = method;
        Attribute = attribute;
        Name = attribute.Name ?? method.Name;
        Parameters = [.. method.GetParameters().Select(p => new FlowParameter(
            p.Name ?? "arg" + p.Position,
            p.ParameterType,
            !p.HasDefaultValue,
            p.HasDefaultValue ? p.DefaultValue : null))];
    }

    /// <summary>The flow's name.</summary>
    public string Name { get; }

    /// <summary>The method.</summary>
    public MethodInfo Method { get; }

    /// <summary>The attribute, with retries and timeout.</summary>
    public FlowAttribute Attribute { get; }

    /// <summary>The parameters, in declaration order.</summary>
    public IReadOnlyList<FlowParameter> Parameters { get; }

    /// <summary>The flow a <see cref="FlowAttribute"/> method defines.</summary>
    public static FlowDefinition FromMethod(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var attribute = method.GetCustomAttribute<FlowAttribute>()
            ?? throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} has no [Flow] attribute.", nameof(method));
        if (!method.IsStatic)
        {
            throw new ArgumentException($"Flow method {method.DeclaringType?.Name}.{method.Name} must be static.", nameof(method));
        }

        return new FlowDefinition(method, attribute);
    }

    /// <summary>Every flow in an assembly, in metadata order.</summary>
    public static IReadOnlyList<FlowDefinition> FindAll(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var flows = new List<FlowDefinition>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FlowAttribute>() is { } attribute)
                {
                    flows.Add(new FlowDefinition(method, attribute));
                }
            }
        }

        return flows;
    }

    /// <summary>The flow with this name; throws a message listing the flows there are when none has it.</summary>
    public static FlowDefinition Find(Assembly assembly, string name, string sourceDescription)
    {
        var flows = FindAll(assembly);
        return flows.FirstOrDefault(f => f.Name == name)
            ?? throw new FlowNotFoundException(flows.Count == 0
                ? $"{sourceDescription} has no [Flow] method; mark one with [Flow(\"{name}\")]."
                : $"{sourceDescription} has no flow named '{name}'. Flows in it: {string.Join(", ", flows.Select(f => f.Name))}.");
    }

    /// <summary>The flow an entrypoint names; with no name, the file's only flow (an error lists them when it has several).</summary>
    public static FlowDefinition Find(Assembly assembly, string? name, string sourceDescription, bool nameMayBeOmitted)
    {
        if (name is not null || !nameMayBeOmitted)
        {
            return Find(assembly, name ?? string.Empty, sourceDescription);
        }

        var flows = FindAll(assembly);
        return flows.Count switch
        {
            1 => flows[0],
            0 => throw new FlowNotFoundException($"{sourceDescription} has no [Flow] method."),
            _ => throw new FlowNotFoundException($"{sourceDescription} has {flows.Count} flows ({string.Join(", ", flows.Select(f => f.Name))}); name one: {sourceDescription}:{flows[0].Name}."),
        };
    }
}
