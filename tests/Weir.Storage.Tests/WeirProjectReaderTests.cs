using Weir.Storage.Config;
using Weir.Storage.Project;

namespace Weir.Storage.Tests;

public sealed class WeirProjectReaderTests
{
    [Fact]
    public void Read_DesignExample_GivesStepsAndDeployments()
    {
        var project = WeirProjectReader.Read("""
            name: my-project
            push:
            - push_to_s3:
                id: push_code
                bucket: my-bucket
                folder: '{{ $CUSTOM_FOLDER }}'
                credentials: '{{ weir.blocks.aws-credentials.my-creds }}'
            pull:
            - pull_from_s3:
                id: pull_code
                bucket: '{{ push_code.bucket }}'
                folder: '{{ push_code.folder }}'
            deployments:
            - name: nightly
              entrypoint: flows/my_flow.cs:example
              work_pool: { name: default }
              parameters: { limit: 3 }
              tags: [etl, nightly]
              retries: 2
              schedules: [ { cron: '0 2 * * *', timezone: Europe/Berlin } ]
            """, "weir.yaml");

        project.Name.ShouldBe("my-project");
        project.Push.ShouldHaveSingleItem().Id.ShouldBe("push_code");
        project.Pull.ShouldHaveSingleItem().Name.ShouldBe("pull_from_s3");
        var deployment = project.Deployments.ShouldHaveSingleItem();
        deployment.Name.ShouldBe("nightly");
        deployment.Entrypoint.ShouldBe("flows/my_flow.cs:example");
        deployment.WorkPool.ShouldBe("default");
        deployment.Parameters!["limit"].ShouldBeOfType<ConfigScalar>().Value.ShouldBe(3L);
        deployment.Tags.ShouldBe(["etl", "nightly"]);
        deployment.Retries.ShouldBe(2);
        var schedule = deployment.Schedules.ShouldHaveSingleItem();
        schedule.Cron.ShouldBe("0 2 * * *");
        schedule.Timezone.ShouldBe("Europe/Berlin");
    }

    [Theory]
    [InlineData("name: x\npul:\n- a: {}", "weir.yaml:2:1: unknown key 'pul' in the top level of weir.yaml; expected one of: name, weir-version, build, push, pull, deployments.")]
    [InlineData("deployments:\n- name: d\n  entrypoint: flows/x.cs", "weir.yaml:3:15: the entrypoint of deployment 'd' must be path/to/file.cs:flow-name, not 'flows/x.cs'.")]
    [InlineData("deployments:\n- name: d\n  entrypoint: x.cs:f\n  schedules: [ { cron: '* * * * *', timezone: Mars/Olympus } ]", "weir.yaml:4:47: 'Mars/Olympus' is not a time zone this machine knows (use an IANA name such as Europe/Berlin).")]
    [InlineData("deployments:\n- name: d\n  entrypoint: x.cs:f\n  schedules: [ { timezone: UTC } ]", "weir.yaml:4:16: a schedule of deployment 'd' needs exactly one of 'cron' or 'interval' (seconds).")]
    [InlineData("deployments:\n- entrypoint: x.cs:f", "weir.yaml:2:3: a deployment needs 'name'.")]
    [InlineData("pull:\n  git_clone: {}", "weir.yaml:2:3: 'pull' must be a list of steps, like:\npull:\n- set_working_directory:\n    directory: /opt/flows")]
    [InlineData("pull:\n- a: {}\n  b: {}", "weir.yaml:2:3: pull step 1 must be a mapping with exactly one key, the step's name (for example '- git_clone:').")]
    [InlineData("pull:\n- a: { id: x }\n- b: { id: x }", "weir.yaml:3:12: two pull steps have the id 'x'; ids must be unique.")]
    [InlineData("name: [unclosed", "weir.yaml:2:1: this is not valid YAML:")]
    [InlineData("name: a\nname: b", "weir.yaml:2:1: the key 'name' appears twice in the same mapping.")]
    public void Read_InvalidFile_ErrorNamesFileLineAndColumn(string yaml, string expected)
    {
        var error = Should.Throw<ConfigException>(() => WeirProjectReader.Read(yaml, "weir.yaml"));
        error.Message.ShouldStartWith(expected);
    }

    [Fact]
    public void ReadFile_WhenMissing_SaysWhereItLooked()
    {
        Should.Throw<FileNotFoundException>(() => WeirProjectReader.ReadFile("/nope/weir.yaml")).Message.ShouldBe("/nope/weir.yaml not found (looked at /nope/weir.yaml).");
    }
}
