using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Weir.Worker.Kubernetes.Tests;

/// <summary>
/// The manifests the worker sends, checked without a Kubernetes API server (none runs here): KubernetesClient ships no OpenAPI
/// schema file, so the Job and Secret are made through its model types (V1Job, V1Secret, generated from that schema) and checked
/// field by field against them (<see cref="ManifestCheck"/>: every field one the model has, each value of its type, the OpenAPI
/// required fields present, apiVersion and kind the model's). What only a real API server checks (names, quantities, quotas,
/// admission) is listed in docs/kubernetes.md.
/// </summary>
public sealed class ManifestSchemaTests
{
    private static readonly JsonObject s_everything = new()
    {
        ["image"] = "registry.example.com/flows:v1",
        ["image_pull_policy"] = "IfNotPresent",
        ["namespace"] = "team-a",
        ["env"] = new JsonObject { ["A"] = "1" },
        ["labels"] = new JsonObject { ["team"] = "data" },
        ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "1Gi", ["cpu"] = 2 } },
        ["service_account_name"] = "flow-runner",
        ["node_selector"] = new JsonObject { ["pool"] = "batch" },
        ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "batch", ["operator"] = "Exists" }),
        ["ttl_seconds_after_finished"] = 60,
        ["active_deadline_seconds"] = 600,
        ["pending_timeout_seconds"] = 120,
    };

    [Fact]
    public void JobAndSecret_WithEveryVariable_PassTheModelCheck_WithoutApiServer()
    {
        var manifest = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed((JsonObject)s_everything.DeepClone()), TestRuns.Context);
        var job = JsonNode.Parse(KubernetesJson.Serialize(manifest.Job))!;
        var secret = JsonNode.Parse(KubernetesJson.Serialize(manifest.Secret))!;

        ManifestCheck.Problems(job, typeof(V1Job)).ShouldBeEmpty();
        ManifestCheck.Problems(secret, typeof(V1Secret)).ShouldBeEmpty();
        KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Job>(job.ToJsonString())).ShouldBe(job.ToJsonString(), "the Job reads back into the model unchanged");
    }

    [Fact]
    public void Job_KeepsTheRunTokenOutOfItsSpec_AndReadsItFromTheRunsSecret()
    {
        var manifest = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(), TestRuns.Context);
        var job = KubernetesJson.Serialize(manifest.Job);

        job.ShouldNotContain(TestRuns.Token);
        job.ShouldNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(TestRuns.Token)));
        var flow = manifest.Job.Spec.Template.Spec.Containers.Single();
        flow.EnvFrom.Single().SecretRef.Name.ShouldBe(manifest.Secret.Metadata.Name);
        flow.Env.Select(e => e.Name).ShouldBe(["WEIR_API_URL", "WEIR_FLOW_RUN_ID"]);
        flow.Command.ShouldBe(["weir", "flow-run", "execute", TestRuns.Id.ToString()]);
        manifest.Secret.Data.Keys.ShouldBe(["WEIR_RUN_TOKEN"], "the run's token is the pod's only credential (issue 16)");
        manifest.Secret.Data["WEIR_RUN_TOKEN"].ShouldBe(System.Text.Encoding.UTF8.GetBytes(TestRuns.Token));
    }

    [Fact]
    public void Job_DropsTheWithheldCredentials_EvenWhenTheDeploymentsEnvNamesThem()
    {
        var env = new JsonObject { ["GREETING"] = "hello" };
        foreach (var name in new[] { "WEIR_API_KEY", "WEIR_WORKER_API_KEYS", "WEIR_SECRET_KEY", "WEIR_DATABASE_URL", "WEIR_RUN_TOKEN" })
        {
            env[name] = "leaked-" + name;
        }

        var manifest = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(TestRuns.With("env", env)), TestRuns.Context);

        var flow = manifest.Job.Spec.Template.Spec.Containers.Single();
        flow.Env.Select(e => e.Name).ShouldBe(["GREETING", "WEIR_API_URL", "WEIR_FLOW_RUN_ID"]);
        KubernetesJson.Serialize(manifest.Job).ShouldNotContain("leaked-");
        manifest.Secret.Data["WEIR_RUN_TOKEN"].ShouldBe(System.Text.Encoding.UTF8.GetBytes(TestRuns.Token));
    }

    [Fact]
    public void Secret_WithoutARunToken_IsEmpty_NeverTheWorkersKey()
    {
        var run = TestRuns.Claimed() with { RunToken = null };

        var manifest = JobManifest.Build(KubernetesJobTemplate.Default, run, TestRuns.Context with { Credentials = RunCredentials.For(run) });

        manifest.Secret.Data.ShouldBeEmpty();
    }

    [Fact]
    public void Job_IsNamedFromRunAndAttempt_AndLabelledWithRunPoolWorkerAndAttempt()
    {
        var first = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(), TestRuns.Context);
        var again = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(), TestRuns.Context);
        var retry = JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(attempt: 2), TestRuns.Context);

        first.Name.ShouldBe(again.Name, "a second submit of the same attempt must collide (AlreadyExists)");
        retry.Name.ShouldNotBe(first.Name);
        first.Name.Length.ShouldBeLessThanOrEqualTo(63 - 6, "the Job controller appends -xxxxx to pod names");
        foreach (var labels in new[] { first.Job.Metadata.Labels, first.Job.Spec.Template.Metadata.Labels })
        {
            labels["weir.flow-run-id"].ShouldBe(TestRuns.Id.ToString());
            labels["weir.pool"].ShouldBe("k8s");
            labels["weir.worker"].ShouldBe("worker-1");
            labels["weir.attempt"].ShouldBe("1");
        }

        first.Job.Spec.BackoffLimit.ShouldBe(0);
        first.Job.Spec.Template.Spec.RestartPolicy.ShouldBe("Never");
    }

    [Fact]
    public void LabelValue_OfANameThatIsNoLabel_IsALabelWithAHash()
    {
        JobNames.LabelValue("worker-1").ShouldBe("worker-1");
        var odd = JobNames.LabelValue("my worker/ü");
        odd.ShouldMatch("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
        JobNames.LabelValue(new string('a', 80)).Length.ShouldBeLessThanOrEqualTo(63);
        JobNames.LabelValue("a b").ShouldNotBe(JobNames.LabelValue("a-b"), "two names never share a label");
    }

    [Theory]
    [InlineData("node_selector", "[\"batch\"]", "job variable 'node_selector' must be a mapping, not a list")]
    [InlineData("image_pull_policy", "\"Sometimes\"", "job variable 'image_pull_policy' is \"Sometimes\"; it must be one of \"IfNotPresent\", \"Always\", \"Never\"")]
    [InlineData("ttl_seconds_after_finished", "-5", "job variable 'ttl_seconds_after_finished' is -5; it must be at least 0")]
    [InlineData("ttl_seconds_after_finished", "\"1h\"", "job variable 'ttl_seconds_after_finished' must be a whole number, not text")]
    [InlineData("resources", "{\"limit\":{\"memory\":\"1Gi\"}}", "job variable 'resources' has 'limit', which it does not take; it takes: requests, limits")]
    [InlineData("resources", "{\"limits\":{\"memory\":true}}", "job variable 'resources.limits.memory' must be text or a number, not true or false")]
    [InlineData("tolerations", "[{\"key\":\"a\",\"effect\":\"Sometimes\"}]", "job variable 'tolerations[0].effect' is \"Sometimes\"")]
    [InlineData("env", "{\"A\":1}", "job variable 'env.A' must be text, not a whole number")]
    [InlineData("imagee", "\"x\"", "job variable 'imagee' is not one the pool's job template takes")]
    public void Build_WithAJobVariableTheSchemaRefuses_NamesTheVariable(string name, string value, string expected)
    {
        var error = Should.Throw<KubernetesPoolException>(() => JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed(TestRuns.With(name, JsonNode.Parse(value)!)), TestRuns.Context));

        error.Message.ShouldStartWith("Deployment 'hello/k8s' (kubernetes pool 'k8s'): ");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Build_WithoutAnImage_SaysWhereToSetOne()
    {
        var error = Should.Throw<KubernetesPoolException>(() => JobManifest.Build(KubernetesJobTemplate.Default, TestRuns.Claimed([]), TestRuns.Context));

        error.Message.ShouldContain("names no image for the kubernetes pool 'k8s': set work_pool.job_variables.image in weir.yaml");
    }

    [Fact]
    public void Build_WithAMisspeltFieldInTheTemplate_NamesTheFieldInsteadOfDroppingIt()
    {
        var template = Template(m => m["spec"]!["template"]!["spec"]!["nodeSelecter"] = new JsonObject { ["a"] = "b" });

        var error = Should.Throw<KubernetesPoolException>(() => JobManifest.Build(template, TestRuns.Claimed(), TestRuns.Context));

        error.Message.ShouldContain("is not a valid batch/v1 Job: spec.template.spec.nodeSelecter is no field of V1PodSpec (did you mean 'nodeSelector'?)");
    }

    [Fact]
    public void Build_WithAFieldOfTheWrongTypeOrARequiredFieldMissing_NamesThem()
    {
        var template = Template(m =>
        {
            m["spec"]!["template"]!["spec"]!["hostNetwork"] = "yes";
            m["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().Remove("name");
        });

        var error = Should.Throw<KubernetesPoolException>(() => JobManifest.Build(template, TestRuns.Claimed(), TestRuns.Context));

        error.Message.ShouldContain("spec.template.spec.hostNetwork must be true or false, not the text 'yes'");
        error.Message.ShouldContain("spec.template.spec.containers[0].name is required");
    }

    [Theory]
    [InlineData("backoffLimit", "spec.backoffLimit to 3; a Job of Weir runs its pod once")]
    [InlineData("restartPolicy", "spec.template.spec.restartPolicy to OnFailure")]
    public void Build_WithATemplateThatRestartsThePod_IsRefused(string field, string expected)
    {
        var template = Template(m =>
        {
            if (field == "backoffLimit")
            {
                m["spec"]!["backoffLimit"] = 3;
            }
            else
            {
                m["spec"]!["template"]!["spec"]!["restartPolicy"] = "OnFailure";
            }
        });

        Should.Throw<KubernetesPoolException>(() => JobManifest.Build(template, TestRuns.Claimed(), TestRuns.Context)).Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_ATemplateWithAnUnknownPlaceholder_NamesItAndWhereItIs()
    {
        var raw = KubernetesJobTemplate.FromYaml(KubernetesJobTemplate.DefaultYaml, "t");
        raw["job_manifest"]!["spec"]!["template"]!["spec"]!["priorityClassName"] = "{{ priority }}";

        var error = Should.Throw<KubernetesPoolException>(() => KubernetesJobTemplate.Parse(raw, "the job template of work pool 'k8s'"));

        error.Message.ShouldStartWith("The job template of work pool 'k8s' uses {{ priority }} at job_manifest.spec.template.spec.priorityClassName, which is neither one of its variables");
    }

    [Fact]
    public void Parse_ASchemaKeywordWeirCannotCheck_IsRefusedRatherThanSkipped()
    {
        var raw = KubernetesJobTemplate.FromYaml(KubernetesJobTemplate.DefaultYaml, "t");
        raw["variables"]!["properties"]!["image"]!["pattern"] = "^registry";

        Should.Throw<KubernetesPoolException>(() => KubernetesJobTemplate.Parse(raw, "the job template of work pool 'k8s'"))
            .Message.ShouldContain("the schema at variables.properties.image uses 'pattern', which Weir's check of job variables does not know");
    }

    [Fact]
    public void Render_APlaceholderWithoutValue_RemovesItsKey_AndOneInText_IsReplaced()
    {
        var manifest = JsonNode.Parse("""{"a":"{{ x }}","b":"job-{{ y }}","c":["{{ x }}","k"],"d":"{{ z }}"}""")!;
        var rendered = TemplateRenderer.Render(manifest, new JsonObject { ["y"] = 7, ["z"] = new JsonObject { ["n"] = 1 } });

        rendered.ToJsonString().ShouldBe("""{"b":"job-7","c":["k"],"d":{"n":1}}""");
    }

    private static KubernetesJobTemplate Template(Action<JsonObject> change)
    {
        var raw = KubernetesJobTemplate.FromYaml(KubernetesJobTemplate.DefaultYaml, "t");
        change((JsonObject)raw["job_manifest"]!);
        return KubernetesJobTemplate.Parse(raw, "the job template of work pool 'k8s'");
    }
}
