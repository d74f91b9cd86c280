using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Client;
using Weir.Server.Ui;

namespace Weir.Cli.Output;

/// <summary><c>weir deployment inspect</c> for people: what it runs, from where, when, and with what.</summary>
internal static class DeploymentView
{
    public static void Write(IAnsiConsole console, DeploymentDto deployment)
    {
        console.MarkupLine($"[bold]Deployment {Markup.Escape(deployment.FullName)}[/]  [grey]version {deployment.Version}, updated {Terminal.When(deployment.Updated)}[/]");
        var facts = RunView.Facts();
        RunView.Add(facts, "Entrypoint", deployment.Entrypoint);
        var (kind, where) = StorageKind.Of(deployment);
        RunView.Add(facts, "Storage", where is null ? kind : $"{kind} ({where})");
        RunView.Add(facts, "Work pool", deployment.WorkPool);
        var parameters = RunForm.ParametersOf(deployment);
        RunView.Add(facts, "Parameters", parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(p =>
            $"{p.Name}: {p.Type}" + (p.Required ? " (required)" : " = " + p.Default) + (deployment.Parameters[p.Name] is { } set ? $", runs with {Fmt.Value(set)}" : string.Empty))));
        var tasks = string.Join(" → ", deployment.Structure.Tasks);
        RunView.Add(facts, "Tasks", tasks.Length > 0 ? tasks : "none recorded");
        RunView.Add(facts, "Schedules", deployment.Schedules.Count == 0 ? "none (runs start when asked)" : string.Join("; ", deployment.Schedules.Select(ScheduleText.Describe)));
        RunView.Add(facts, "Retries", deployment.Retries == 0 ? "none" : $"{deployment.Retries}, {deployment.RetryDelaySeconds} s apart");
        if (deployment.Blocks.Count > 0)
        {
            RunView.Add(facts, "Blocks", string.Join(", ", deployment.Blocks));
        }

        if (deployment.Tags.Count > 0)
        {
            RunView.Add(facts, "Tags", string.Join(", ", deployment.Tags));
        }

        if (deployment.Description is { Length: > 0 } description)
        {
            RunView.Add(facts, "Description", description);
        }

        RunView.Add(facts, "Structure", Fmt.Hash(deployment.Structure.Hash));
        console.Write(facts);
        console.WriteLine();
        console.MarkupLine("[bold]Pull steps[/] [grey](run by the worker before each run; {{ weir.blocks.… }} references are resolved then)[/]");
        if (deployment.PullSteps.Count == 0)
        {
            console.MarkupLine("  [grey]none: the worker runs the code in its working directory[/]");
        }

        foreach (var step in deployment.PullSteps.OfType<JsonObject>().SelectMany(s => s))
        {
            console.MarkupLine("  " + Markup.Escape(step.Key));
            foreach (var (key, value) in step.Value as JsonObject ?? [])
            {
                console.MarkupLine($"      [grey]{Markup.Escape(key)}:[/] {RunView.Text(Fmt.Value(value))}");
            }
        }

        if (deployment.JobVariables is { Count: > 0 } jobVariables)
        {
            console.WriteLine();
            console.MarkupLine("[bold]Job variables[/]");
            console.MarkupLine(RunView.Text(RunView.Json(jobVariables)));
        }
    }
}
