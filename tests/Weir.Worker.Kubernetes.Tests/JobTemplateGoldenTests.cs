using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>
/// The built-in job template rendered for each job variable, compared with a golden file in Golden/ (the Job and the Secret as
/// KubernetesClient serializes them for the API server). WEIR_UPDATE_GOLDEN=1 writes the files anew; review the diff.
/// </summary>
public sealed class JobTemplateGoldenTests
{
    public static TheoryData<string, string> Variables() => new()
    {
        { "image-only", "{}" },
        { "image_pull_policy", """{"image_pull_policy":"Always"}""" },
        { "namespace", """{"namespace":"team-a"}""" },
        { "env", """{"env":{"GREETING":"hello","LEVEL":"3"}}""" },
        { "labels", """{"labels":{"team":"data","cost-center":"42"}}""" },
        { "resources", """{"resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"memory":"512Mi","nvidia.com/gpu":1}}}""" },
        { "service_account_name", """{"service_account_name":"flow-runner"}""" },
        { "node_selector", """{"node_selector":{"kubernetes.io/arch":"arm64","pool":"batch"}}""" },
        { "tolerations", """{"tolerations":[{"key":"batch","operator":"Equal","value":"true","effect":"NoSchedule"},{"key":"spot","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}""" },
        { "ttl_seconds_after_finished", """{"ttl_seconds_after_finished":600}""" },
        { "active_deadline_seconds", """{"active_deadline_seconds":7200}""" },
        { "command", """{"command":["weir","flow-run","execute","--verbose","0197a3c2-5e1f-7b2a-9c4d-4f3c9a1e7b20"]}""" },
    };

    [Theory]
    [MemberData(nameof(Variables))]
    public void Render_EachJobVariable_MatchesItsGoldenFile(string name, string variables)
    {
        var given = (JsonObject)JsonNode.Parse(variables)!;
        given["image"] = "registry.example.com/flows:v1";
        var manifest = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(given), TestRuns.Context);

        var rendered = new JsonObject
        {
            ["job"] = JsonNode.Parse(KubernetesJson.Serialize(manifest.Job)),
            ["secret"] = JsonNode.Parse(KubernetesJson.Serialize(manifest.Secret)),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        var golden = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("WEIR_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceFolder(), "Golden", name + ".json");
            File.WriteAllText(source, rendered);
            return;
        }

        File.Exists(golden).ShouldBeTrue($"Golden/{name}.json is missing; run the tests with WEIR_UPDATE_GOLDEN=1 to write it, and review it.");
        rendered.ShouldBe(File.ReadAllText(golden).ReplaceLineEndings("\n"), $"the rendered Job of job variable '{name}' differs from Golden/{name}.json");
    }

    [Fact]
    public void Render_PendingTimeout_IsTheWorkersSettingNotPartOfTheManifest()
    {
        var set = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(TestRuns.With("pending_timeout_seconds", 42)), TestRuns.Context);
        var unset = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(), TestRuns.Context);

        set.PendingTimeout.ShouldBe(TimeSpan.FromSeconds(42));
        unset.PendingTimeout.ShouldBe(TimeSpan.FromMinutes(5), "the schema's default, 300 s");
        KubernetesJson.Serialize(set.Job).ShouldBe(KubernetesJson.Serialize(unset.Job));
    }

    [Fact]
    public void Render_GoldenFiles_CoverEveryVariableOfTheBuiltInTemplate()
    {
        var covered = Variables().Select(row => (string)row[0]).ToHashSet();
        foreach (var variable in KubernetesJobTemplate.Default.Variables.Names.Where(v => v is not ("image" or "pending_timeout_seconds")))
        {
            covered.ShouldContain(variable, $"job variable '{variable}' has no golden file");
        }
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
