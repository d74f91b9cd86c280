using System.Net;
using System.Net.Http.Json;
using Weir.Client;

namespace Weir.Server.Tests;

/// <summary>Names (deployment, flow, work pool, worker, block, variable) against the allow-list their refusal states.</summary>
public abstract partial class DatabaseSuite
{
    private const string NameRuleText =
        "a name is 1 to 200 characters, each an ASCII letter (A-Z, a-z), a digit (0-9), '.', '-' or '_', and starts with a letter or digit";

    [Fact]
    public async Task Names_TakeExactlyTheCharactersTheirRuleStates()
    {
        await using var server = await StartAsync();
        var taken = 0;
        // Every printable ASCII character, and some beyond, inside a deployment's name (a JSON field, so no URL rule interferes).
        foreach (var ch in Enumerable.Range(0x20, 0x5F).Select(c => (char)c).Concat(['\u0000', '\u007f', '\u00e4', '\u0131', '\u202e', '\uff0f', '\u212a']))
        {
            var name = $"a{ch}b";
            var response = await server.Http.PutAsJsonAsync("/api/deployments", Deployment(name), ApiJson.Options);
            if (char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_')
            {
                response.IsSuccessStatusCode.ShouldBeTrue($"'{ch}' (U+{(int)ch:X4}): {await response.Content.ReadAsStringAsync()}");
                taken++;
            }
            else
            {
                var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
                problem.Field.ShouldBe("name");
                problem.Message.ShouldEndWith($"): {(ch == ' ' ? "a space (U+0020)" : ch is > ' ' and < '\u007f' ? $"'{ch}' (U+{(int)ch:X4})" : $"U+{(int)ch:X4}")} at position 2 is not allowed; {NameRuleText}.",
                    customMessage: $"U+{(int)ch:X4}");
            }
        }

        taken.ShouldBe(26 + 26 + 10 + 3);
        (await server.Client.ListDeploymentsAsync(default)).Count.ShouldBe(taken);
    }

    [Fact]
    public async Task Names_OutsideTheAllowList_AreRefusedForEveryKindOfName_WithTheRuleStated()
    {
        await using var server = await StartAsync();
        var refusals = new (string What, Func<Task<HttpResponseMessage>> Send, string Field, string Problem)[]
        {
            ("variable", () => server.Http.PutAsJsonAsync("/api/variables/a:b", new { value = "1" }), "name", "':' (U+003A) at position 2 is not allowed"),
            ("block", () => server.Http.PutAsJsonAsync("/api/blocks/secret/token@home", new { fields = new { value = "x" } }), "name", "'@' (U+0040) at position 6 is not allowed"),
            ("work pool", () => server.Http.PutAsJsonAsync("/api/work-pools/.hidden", new { type = "process", concurrencyLimit = (int?)null }), "name", "it starts with '.'"),
            ("deployment", () => server.Http.PutAsJsonAsync("/api/deployments", Deployment("-x"), ApiJson.Options), "name", "it starts with '-'"),
            ("flow", () => server.Http.PutAsJsonAsync("/api/deployments", Deployment() with { FlowName = "my flow" }, ApiJson.Options), "flowName", "a space (U+0020) at position 3 is not allowed"),
            ("deployment's pool", () => server.Http.PutAsJsonAsync("/api/deployments", Deployment(pool: "pool+1"), ApiJson.Options), "workPool", "'+' (U+002B) at position 5 is not allowed"),
            ("worker", () => server.Http.PostAsJsonAsync("/api/work-pools/default/claims", new ClaimRequest("w\u00e4", 0), ApiJson.Options), "worker", "U+00E4 at position 2 is not allowed"),
            ("heart-beat's worker", () => server.Http.PostAsJsonAsync("/api/work-pools/default/heartbeat", new HeartbeatRequest("w\u202e1", []), ApiJson.Options), "worker", "U+202E at position 2 is not allowed"),
            ("long", () => server.Http.PutAsJsonAsync("/api/variables/" + new string('v', 201), new { value = "1" }), "name", "it is 201 characters long"),
        };

        foreach (var (what, send, field, expected) in refusals)
        {
            var problem = await ProblemAsync(await send(), HttpStatusCode.BadRequest);
            problem.Field.ShouldBe(field, what);
            problem.Message.ShouldContain($": {expected}; {NameRuleText}.", customMessage: what);
        }

        // A name is echoed with invisible characters escaped, so the refusal cannot reorder a terminal's text.
        var bidi = await ProblemAsync(await server.Http.PostAsJsonAsync("/api/work-pools/default/heartbeat", new HeartbeatRequest("w\u202e1", []), ApiJson.Options), HttpStatusCode.BadRequest);
        bidi.Message.ShouldStartWith("'w\\u202E1' is not a valid worker name ('worker')");

        (await server.Client.ListVariablesAsync(default)).ShouldBeEmpty();
        (await server.Client.ListBlocksAsync(default)).ShouldBeEmpty();
        (await server.Client.ListDeploymentsAsync(default)).ShouldBeEmpty();
        (await server.Client.ListPoolsAsync(default)).ShouldBeEmpty();

        // Names inside the rule are taken, the longest included.
        await server.Client.PutVariableAsync("A-z_0.9", "1", default);
        await server.Client.PutVariableAsync(new string('v', 200), "1", default);
        (await server.Client.ListVariablesAsync(default)).Count.ShouldBe(2);
    }
}
