using System.Reflection;
using Weir.Engine;

namespace Weir.Deploy.Registration;

/// <summary>
/// Finds the <see cref="FlowStorage"/> a flow file declares for each of its flows: a static field or
/// property of the flow's class (or of a class around it); a file with a single declaration anywhere
/// uses it for all its flows.
/// </summary>
internal static class StorageFinder
{
    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static StorageDeclaration Find(Assembly assembly, FlowDefinition flow, string file)
    {
        var (storage, member) = FindMember(assembly, flow, file);
        string source;
        try
        {
            source = File.ReadAllText(file);
        }
        catch (IOException)
        {
            source = string.Empty;
        }

        return new StorageDeclaration(storage, member, file, StorageDeclaration.LineOf(source, member[(member.LastIndexOf('.') + 1)..]));
    }

    private static (FlowStorage Storage, string Member) FindMember(Assembly assembly, FlowDefinition flow, string file)
    {
        for (var type = flow.Method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            var declared = Declarations(type, file);
            if (declared.Count == 1)
            {
                return (declared[0].Storage, declared[0].Member);
            }

            if (declared.Count > 1)
            {
                throw new DeployException($"{file}: class {type.Name} declares {declared.Count} storages ({string.Join(", ", declared.Select(d => d.Member))}); keep one for flow '{flow.Name}'.");
            }
        }

        var anywhere = assembly.GetTypes().SelectMany(t => Declarations(t, file)).ToList();
        return anywhere.Count == 1
            ? (anywhere[0].Storage, anywhere[0].Member)
            : throw new DeployException(anywhere.Count == 0
                ? $"{file} declares no storage for flow '{flow.Name}'; add one to class {flow.Method.DeclaringType?.Name}, for example: public static readonly FlowStorage Storage = new LocalStorage();"
                : $"{file} declares {anywhere.Count} storages outside class {flow.Method.DeclaringType?.Name} ({string.Join(", ", anywhere.Select(d => d.Member))}); declare the one for flow '{flow.Name}' in its class.");
    }

    private static List<(string Member, FlowStorage Storage)> Declarations(Type type, string file)
    {
        var found = new List<(string, FlowStorage)>();
        foreach (var member in type.GetMembers(Static))
        {
            var memberType = member switch
            {
                FieldInfo f => f.FieldType,
                PropertyInfo p when p.GetMethod is not null && p.GetIndexParameters().Length == 0 => p.PropertyType,
                _ => null,
            };
            if (memberType is null || !typeof(FlowStorage).IsAssignableFrom(memberType))
            {
                continue;
            }

            object? value;
            try
            {
                value = member is FieldInfo field ? field.GetValue(null) : ((PropertyInfo)member).GetValue(null);
            }
            catch (Exception ex) when (ex is TargetInvocationException or TypeInitializationException)
            {
                var inner = ex.InnerException?.InnerException ?? ex.InnerException ?? ex;
                throw new DeployException($"{file}: reading the storage {type.Name}.{member.Name} failed: {inner.GetType().Name}: {inner.Message}");
            }

            if (value is FlowStorage storage)
            {
                found.Add(($"{type.Name}.{member.Name}", storage));
            }
        }

        return found;
    }
}
