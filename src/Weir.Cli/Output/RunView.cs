using System.Text.Json.Nodes;
using Spectre.Console;
using Weir.Client;
using Weir.Server.Ui;

namespace Weir.Cli.Output;

/// <summary><c>weir flow-run inspect</c> for people: the run's facts, its state history and its task runs.</summary>
internal static class RunView
{
    public static void Write(IAnsiConsole console, FlowRunDto run, IReadOnlyList<RunStateEvent> history, IReadOnlyList<TaskRunDto> taskRuns, TimeProvider time)
    {
        var now = time.GetUtcNow();
        console.MarkupLine($"[bold]Flow run {run.ShortId}[/]  [grey]{run.Id}[/]");
        var facts = Facts();
        Add(facts, "Flow", run.FlowName);
        Add(facts, "Deployment", run.DeploymentName ?? "none");
        facts.AddRow("State", $"[bold]{Markup.Escape(run.StateName ?? run.State.ToString())}[/]" + (run.StateMessage is { Length: > 0 } m ? " " + Text(m) : string.Empty));
        Add(facts, "Parameters", run.Parameters.Count == 0 ? "none" : string.Join(", ", run.Parameters.Select(p => $"{p.Key} = {Fmt.Value(p.Value)}")));
        Add(facts, "Work pool", (run.WorkPool ?? "none") + (run.Worker is { } worker ? $", worker {worker}" : string.Empty));
        Add(facts, "Attempts", $"{run.RunCount} of {run.Retries + 1}");
        Add(facts, "Created", Terminal.When(run.Created, seconds: true));
        if (run.StartTime is { } start)
        {
            Add(facts, "Started", Terminal.When(start, seconds: true) + $" (ran {Fmt.Duration((run.State.IsTerminal() ? run.StateTime : now) - start)}{(run.State.IsTerminal() ? string.Empty : " so far")})");
        }

        var code = new[] { run.Commit is { } c ? "commit " + c : null, run.ManifestHash is { } h ? "manifest " + h : null, run.ContentHash is { } s ? "source hash " + Fmt.Hash(s) : null };
        Add(facts, "Code", string.Join(", ", code.OfType<string>()) is { Length: > 0 } text ? text : "not recorded yet");
        console.Write(facts);
        if (run.DriftWarning is { } drift)
        {
            console.MarkupLine("[yellow]Structure drift:[/] " + Text(drift));
        }

        console.WriteLine();
        console.MarkupLine("[bold]State history[/]");
        var states = new Table().AddColumns("Time", "State", "Message");
        foreach (var state in history)
        {
            states.AddRow(Terminal.Clock(state.Time), Markup.Escape(state.Name ?? state.Type.ToString()), Text(state.Message ?? string.Empty));
        }

        console.Write(states);
        console.WriteLine();
        console.MarkupLine("[bold]Task runs[/]" + (taskRuns.Count == 0 ? " [grey]none[/]" : string.Empty));
        if (taskRuns.Count > 0)
        {
            var tasks = new Table().AddColumns("Task run", "State", "Since", "Message");
            foreach (var task in taskRuns)
            {
                tasks.AddRow(Markup.Escape(task.TaskKey), Markup.Escape(task.State.ToString()), Terminal.Clock(task.StateTime), Text(task.StateMessage ?? string.Empty));
            }

            console.Write(tasks);
        }
    }

    internal static Grid Facts() => new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();

    internal static void Add(Grid grid, string name, string value) => grid.AddRow($"[grey]{Markup.Escape(name)}[/]", Text(value));

    internal static string Text(string text) => Markup.Escape(TerminalText.Escape(text, keepLineBreaks: true));

    internal static string Json(JsonNode? node) => Fmt.Indented(node);
}
