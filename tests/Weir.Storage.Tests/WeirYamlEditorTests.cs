using Weir.Storage.Project;

namespace Weir.Storage.Tests;

public sealed class WeirYamlEditorTests
{
    private const string Init = """
        # Weir project file
        name: 'demo'

        # pull: steps every worker runs
        pull: null

        # deployments: add one per flow
        # - name: nightly
        deployments: []

        """;

    [Fact]
    public void SetSection_ReplacesTheKeysBlock_AndKeepsEveryComment()
    {
        var text = WeirYamlEditor.SetSection(Init, "pull", WeirYamlEditor.RenderGitClonePull("https://example.invalid/org/flows.git", "main", null));

        text.ShouldBe("""
            # Weir project file
            name: 'demo'

            # pull: steps every worker runs
            pull:
            - git_clone:
                id: clone
                repository: 'https://example.invalid/org/flows.git'
                branch: 'main'

            # deployments: add one per flow
            # - name: nightly
            deployments: []

            """);
        WeirProjectReader.Read(text, "weir.yaml").Pull.ShouldHaveSingleItem().ShortName.ShouldBe("git_clone");
    }

    [Fact]
    public void SetSection_WithoutTheKey_AddsItBeforeDeployments()
    {
        var text = WeirYamlEditor.SetSection("name: x\ndeployments:\n- name: a\n  entrypoint: f.cs:a\n", "pull", "pull:\n- set_working_directory:\n    directory: /srv\n");

        text.ShouldBe("name: x\npull:\n- set_working_directory:\n    directory: /srv\n\ndeployments:\n- name: a\n  entrypoint: f.cs:a\n");
    }

    [Fact]
    public void UpsertDeployment_IntoAnEmptyList_AddsTheFirst()
    {
        var text = WeirYamlEditor.UpsertDeployment(Init, "nightly", WeirYamlEditor.RenderDeployment("nightly", "flows/f.cs:example", "default"));

        text.ShouldContain("# - name: nightly\ndeployments:\n- name: 'nightly'\n  entrypoint: 'flows/f.cs:example'\n  work_pool: { name: 'default' }\n");
        WeirProjectReader.Read(text, "weir.yaml").Deployments.ShouldHaveSingleItem().Name.ShouldBe("nightly");
    }

    [Fact]
    public void UpsertDeployment_AppendsANewOne_AndReplacesOneWithTheSameName_KeepingTheOthers()
    {
        const string yaml = """
            name: x
            deployments:
              # the first
              - name: a
                entrypoint: f.cs:a
                tags: [keep]
              - name: b
                entrypoint: f.cs:b
            # trailing comment
            """;

        var added = WeirYamlEditor.UpsertDeployment(yaml, "c", WeirYamlEditor.RenderDeployment("c", "f.cs:c", "p"));
        var replaced = WeirYamlEditor.UpsertDeployment(added, "a", WeirYamlEditor.RenderDeployment("a", "g.cs:a", "p"));

        var project = WeirProjectReader.Read(replaced, "weir.yaml");
        project.Deployments.Select(d => (d.Name, d.Entrypoint)).ShouldBe([("a", "g.cs:a"), ("b", "f.cs:b"), ("c", "f.cs:c")]);
        replaced.ShouldContain("  # the first\n");
        replaced.ShouldEndWith("# trailing comment\n");
    }
}
