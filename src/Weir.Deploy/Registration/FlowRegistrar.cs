using Weir.Client;
using Weir.Compiler;
using Weir.Engine;
using Weir.Storage.Config;
using Weir.Storage.Docker;
using Weir.Storage.Project;
using Weir.Storage.Steps;

namespace Weir.Deploy.Registration;

/// <summary>
/// <c>weir register</c>'s work: finds each flow of a flow file with the storage it declares in code, turns that
/// storage into the steps a <c>weir.yaml</c> would hold, runs its build and push steps from a staging folder that
/// holds the script, and plans the deployment as <c>weir deploy</c> would. The steps stand at the storage's
/// declaration, so every message names the flow file and the declaration. <c>StoredAsScript = false</c> stores the
/// compiled build on the server, which workers then run.
/// </summary>
internal sealed class FlowRegistrar(FlowCompiler compiler, DeploymentPlanner planner, WeirClient client, string workingDirectory, Action<string>? progress)
{
    /// <summary>Every flow of <paramref name="path"/> with its storage declaration.</summary>
    public async Task<IReadOnlyList<(string Flow, StorageDeclaration Storage)>> CollectAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new DeployException($"Flow file '{path}' not found (looked at {Path.GetFullPath(path)}).");
        }

        var build = await compiler.CompileAsync(path, cancellationToken).ConfigureAwait(false);
        using var loaded = build.Load();
        var flows = FlowDefinition.FindAll(loaded.Assembly);
        return flows.Count == 0
            ? throw new DeployException($"{path} has no [Flow] method.")
            : [.. flows.Select(f => (f.Name, StorageFinder.Find(loaded.Assembly, f, path)))];
    }

    /// <summary>The deployment of <paramref name="flowName"/> named after <paramref name="project"/>, its storage's build and push steps run (or, in a dry run, described).</summary>
    public async Task<DeploymentRequest> PlanAsync(StorageDeclaration declaration, string path, string flowName, string project, string pool, CancellationToken cancellationToken)
    {
        var storage = declaration.Storage;
        var flowFile = Path.GetFullPath(path, workingDirectory);
        StoragePathCheck.Check(declaration, flowFile, workingDirectory);
        var translated = StorageTranslator.Translate(storage, flowFile, project, workingDirectory);
        var staging = Directory.CreateTempSubdirectory("weir-register-").FullName;
        try
        {
            var staged = Path.Combine(staging, translated.EntrypointPath);
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            if (translated.ScriptInImage is var (image, inImage))
            {
                // The image already holds the flow: its copy there is what runs, so its structure is what is registered.
                progress?.Invoke($"Reading {inImage} from the image {image}.");
                try
                {
                    await new DockerCli().CopyFromImageAsync(image, inImage, staged, cancellationToken).ConfigureAwait(false);
                }
                catch (DockerException ex)
                {
                    throw new DeployException(ex.Message, ex);
                }
            }
            else
            {
                File.Copy(translated.ScriptPath, staged);
            }

            var where = declaration.Where;
            var here = new SourceLocation(where);
            var deployment = new DeploymentDefinition
            {
                Name = project,
                Entrypoint = translated.EntrypointPath + ":" + flowName,
                WorkPool = pool,
                JobVariables = translated.JobVariables is { } variables ? (ConfigMap)ConfigJson.FromJson(variables, here) : null,
                Location = here,
            };
            var steps = new WeirProject
            {
                Path = Path.Combine(staging, "weir.yaml"),
                Name = project,
                Build = StepDefinition.FromJson(translated.Build, where, "build"),
                Push = StepDefinition.FromJson(translated.Push, where, "push"),
                Pull = StepDefinition.FromJson(translated.Pull, where, "pull"),
                Deployments = [deployment],
            };
            var request = (await planner.PlanAsync(steps, steps.Deployments, cancellationToken).ConfigureAwait(false)).Single();
            if (translated.NoPull)
            {
                request = request with { PullSteps = [] };
            }

            if (!storage.StoredAsScript && !planner.DryRun)
            {
                // The build goes to the server; workers install it and never compile this flow again.
                var build = await compiler.CompileAsync(staged, cancellationToken).ConfigureAwait(false);
                var id = StoredBuild.IdOf(build);
                await client.UploadBuildAsync(id, StoredBuild.Pack(build), cancellationToken).ConfigureAwait(false);
                request = request with { BuildId = id };
            }

            return request;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
