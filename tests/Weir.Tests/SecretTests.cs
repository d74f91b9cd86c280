using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Weir.Engine;

namespace Weir.Tests;

/// <summary>
/// Issue 16, point 2: flow code reads secrets, blocks and variables through its run's source, and every secret value it
/// read is gone (<c>********</c>) from the log lines, state messages and task run parameters the run reports.
/// </summary>
public sealed class SecretTests
{
    private const string Token = "tok-3f9a1c77e2b04d5a";
    private const string Password = "pw-81b2c3d4e5f6";

    [Fact]
    public async Task Secret_ReadByAFlow_IsRedactedFromItsLogsStatesAndTaskParameters()
    {
        var sink = new MemoryRunSink();
        var result = await new FlowEngine(sink).RunAsync(SecretFlows.Get("leaky"), new Dictionary<string, object?>(), new FlowRunOptions { Values = new FakeValues() });

        result.State.Type.ShouldBe(StateType.Failed);
        result.State.Message.ShouldBe("Task run 'Use-0' failed: InvalidOperationException: refused with ********");
        var reported = string.Join('\n', sink.Logs.Select(l => l.Message).Concat(sink.States.Select(s => s.State.Message ?? string.Empty)));
        reported.ShouldNotContain(Token);
        reported.ShouldNotContain(Password);
        reported.ShouldContain("printed ********");
        reported.ShouldContain("logged ******** and ********");
        reported.ShouldContain("region eu-central-1, user admin");
        var task = sink.TaskRuns.ShouldHaveSingleItem();
        task.Redact(task.Parameters[0].Value as string).ShouldBe("Bearer ********");
    }

    [Fact]
    public async Task Block_BindsToATypedRecord_AndVariablesAreReadAsTheyAre()
    {
        var result = await new FlowEngine(new MemoryRunSink()).RunAsync(SecretFlows.Get("typed-block"), new Dictionary<string, object?>(), new FlowRunOptions { Values = new FakeValues() });

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.Value.ShouldBe("admin|" + Password + "|5432|eu-central-1|none");
    }

    [Fact]
    public async Task Secret_Missing_Refused_OrOutsideARun_IsASentenceThatSaysWhatToDo()
    {
        var missing = await new FlowEngine(new MemoryRunSink()).RunAsync(SecretFlows.Get("missing"), new Dictionary<string, object?>(), new FlowRunOptions { Values = new FakeValues() });
        missing.Exception.ShouldBeOfType<KeyNotFoundException>().Message.ShouldBe("There is no secret 'nope' on the Weir server; create it with: weir secret set nope");

        var refused = await new FlowEngine(new MemoryRunSink()).RunAsync(SecretFlows.Get("undeclared"), new Dictionary<string, object?>(), new FlowRunOptions { Values = new FakeValues() });
        refused.Exception.ShouldBeOfType<UnauthorizedAccessException>().Message.ShouldContain("blocks: [other]");

        var hostless = await new FlowEngine(new MemoryRunSink()).RunAsync(SecretFlows.Get("missing"), new Dictionary<string, object?>());
        hostless.Exception.ShouldBeOfType<InvalidOperationException>().Message.ShouldContain("no Weir server to read from");

        var outside = await Should.ThrowAsync<InvalidOperationException>(() => Secret.GetAsync("api-token"));
        outside.Message.ShouldContain("no flow run is going here");
    }

    [Fact]
    public async Task Redaction_HoldsForTheRunThatReadTheSecret_NotForAnother()
    {
        var first = new MemoryRunSink();
        var second = new MemoryRunSink();
        await Task.WhenAll(
            new FlowEngine(first).RunAsync(SecretFlows.Get("leaky"), new Dictionary<string, object?>(), new FlowRunOptions { Values = new FakeValues() }),
            new FlowEngine(second).RunAsync(SecretFlows.Get("echo"), new Dictionary<string, object?> { ["text"] = "not secret here: " + Token }, new FlowRunOptions { Values = new FakeValues() }));

        string.Join('\n', first.Logs.Select(l => l.Message)).ShouldNotContain(Token);
        second.Logs.ShouldContain(l => l.Message == "not secret here: " + Token, "a run redacts what it read, not what other runs read");
    }

    /// <summary>A server holding one secret, one credentials block and one variable; "other" is a block the run may not read.</summary>
    private sealed class FakeValues : IRunValueSource
    {
        public Task<RunBlock?> GetBlockAsync(string type, string name, CancellationToken cancellationToken) => (type, name) switch
        {
            ("secret", "api-token") => Task.FromResult<RunBlock?>(new RunBlock(new JsonObject { ["value"] = Token }, ["value"])),
            ("database-credentials", "main") => Task.FromResult<RunBlock?>(new RunBlock(
                new JsonObject { ["user_name"] = "admin", ["password"] = Password, ["port"] = "5432" }, ["password"])),
            ("secret", "other") => throw new UnauthorizedAccessException("Flow run x may not read the secret block 'other': … (blocks: [other]) …"),
            _ => Task.FromResult<RunBlock?>(null),
        };

        public Task<string?> GetVariableAsync(string name, CancellationToken cancellationToken) => Task.FromResult(name == "region" ? "eu-central-1" : null);
    }
}

/// <summary>Flows that read secrets, written as the compiler rewrites them.</summary>
internal static class SecretFlows
{
    private static readonly TaskDescriptor s_use = new("Use", retries: 0, retryDelaySeconds: 0, timeoutSeconds: 0, ["header"]);

    public static void Use(string header) => TaskEngine.Run(s_use, [header], () =>
    {
        RunContext.GetRunLogger().LogInformation("task got {Header}", header);
        throw new InvalidOperationException("refused with " + header[("Bearer ".Length)..]);
    });

    [Flow("leaky")]
    public static async Task Leaky()
    {
        Console.WriteLine("before any secret: nothing to hide");
        var token = await Secret.GetAsync("api-token");
        var credentials = await Block.GetAsync("database-credentials", "main");
        Console.WriteLine("printed " + token);
        RunContext.GetRunLogger().LogInformation("logged {Token} and {Password}", token, credentials["password"]!.GetValue<string>());
        Console.WriteLine($"region {await Variable.GetAsync("region")}, user {credentials["user_name"]}");
        Use("Bearer " + token);
    }

    [Flow("typed-block")]
    public static async Task<string> TypedBlock()
    {
        var db = await Block.GetAsync<DatabaseCredentials>("database-credentials", "main");
        return $"{db.UserName}|{db.Password}|{db.Port}|{await Variable.GetAsync("region")}|{await Variable.GetAsync("absent") ?? "none"}";
    }

    [Flow("missing")]
    public static Task<string> Missing() => Secret.GetAsync("nope");

    [Flow("undeclared")]
    public static Task<string> Undeclared() => Secret.GetAsync("other");

    [Flow("echo")]
    public static async Task Echo(string text)
    {
        await Task.Delay(50);
        Console.WriteLine(text);
    }

    public static FlowDefinition Get(string name) =>
        FlowDefinition.FindAll(typeof(SecretFlows).Assembly).Single(f => f.Name == name);

    internal sealed record DatabaseCredentials(string UserName, string Password, int Port);
}
