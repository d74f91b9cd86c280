using Weir.Compiler;
using Weir.Storage.Config;
using Weir.Storage.Steps;
using Weir.Storage.Templating;
using Weir.Client;

namespace Weir.Worker;

/// <summary>
/// Prepares a run in a fresh run folder: resolves the pull steps' block references, runs them,
/// compiles the entrypoint (from the cache when unchanged) and compares its structure with the
/// deployment's. Anything that stops the run is a <see cref="RunPreparationException"/> whose
/// message says what to do; nothing of the user's code has run by then.
/// </summary>
public sealed class RunPreparer(WorkerPaths paths, StepRegistry steps, FlowCompiler compiler)
{
    /// <summary>Downloads stored builds (deployments registered with <c>StoredAsScript = false</c>). <value>Defaults to none: such runs fail with a message.</value></summary>
    public Func<string, CancellationToken, Task<byte[]?>>? DownloadBuild { get; init; }

    /// <summary>
    /// True when the launcher runs the flow with its working folder as the current folder (a flow process);
    /// false for the in-process pool (see <see cref="StepContext.FlowRunsInWorkingDirectory"/>).
    /// <value>Defaults to true.</value>
    /// </summary>
    public bool FlowRunsInWorkingDirectory { get; init; } = true;

    /// <summary>
    /// What the run's shell steps get besides the allow-list of the worker's environment (<see cref="FlowEnvironment"/>), the
    /// run's token (<c>WEIR_RUN_TOKEN</c>) and the deployment's <c>env</c> job variable: the server's address and
    /// <c>WEIR_HOME</c> (<see cref="IWorkerServer.ChildEnvironment"/>). <value>Defaults to none.</value>
    /// </summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }

    /// <summary>The clock of the pull steps (the refresh window of <c>git_clone</c>). <value>Defaults to <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Prepares the run. <paramref name="output"/> receives progress lines, with secrets removed.</summary>
    public async Task<PreparedRun> PrepareAsync(ClaimedRun request, IReferenceResolver references, Action<string>? output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // One folder per attempt: a run re-claimed after a crash must not share a folder with the
        // attempt that is still being cleaned up.
        var runFolder = Path.Combine(paths.Runs, request.FlowRunId.ToString("N") + "-" + Guid.NewGuid().ToString("N")[..8]);
        if (Directory.Exists(runFolder))
        {
            Directory.Delete(runFolder, recursive: true);
        }

        Directory.CreateDirectory(runFolder);
        var context = new StepContext(runFolder, paths.Cache)
        {
            Output = output, ReuseCheckouts = true, TimeProvider = TimeProvider, FlowRunsInWorkingDirectory = FlowRunsInWorkingDirectory,
            ChildEnvironment = ShellEnvironment(request),
        };
        var scope = new TemplateScope { References = references, Environment = null, Redactor = context.Redactor };

        IReadOnlyList<IReadOnlyDictionary<string, object?>> outputs;
        IReadOnlyList<StepDefinition> pull;
        try
        {
            pull = Pin(StepDefinition.FromJson(request.PullSteps, $"deployment '{request.DeploymentName}'", "pull"), request.PinnedCommit);
            outputs = await new StepRunner(steps).RunAsync(pull, context, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StepException or ConfigException)
        {
            throw new RunPreparationException(ex.Message, ex);
        }

        // From here on the code is fetched: a run stopped by a compile or structure error still records which code it got.
        var fetched = new FetchedCode(Last(outputs, "commit"), Last(outputs, "manifest_hash"));
        try
        {
            return await CompileAndCheckAsync(request, runFolder, context, fetched, cancellationToken).ConfigureAwait(false);
        }
        catch (RunPreparationException ex) when (ex.Fetched is null)
        {
            throw new RunPreparationException(ex.Message, ex.InnerException) { Fetched = fetched };
        }
    }

    private async Task<PreparedRun> CompileAndCheckAsync(ClaimedRun request, string runFolder, StepContext context, FetchedCode fetched, CancellationToken cancellationToken)
    {
        Entrypoint entrypoint;
        try
        {
            entrypoint = Entrypoint.Parse(request.Entrypoint);
        }
        catch (ArgumentException ex)
        {
            throw new RunPreparationException($"The entrypoint of deployment '{request.DeploymentName}' is not valid: {ex.Message}", ex);
        }

        string source;
        CompiledFlowFile build;
        if (request.BuildId is { } buildId)
        {
            build = await StoredBuildAsync(request, buildId, cancellationToken).ConfigureAwait(false);
            source = build.SourcePath;
        }
        else
        {
            source = Path.Combine(context.WorkingDirectory, entrypoint.Path);
            if (Path.IsPathRooted(entrypoint.Path) || !IsInside(Path.GetFullPath(source), Path.GetFullPath(context.WorkingDirectory)))
            {
                throw new RunPreparationException(
                    $"The entrypoint '{entrypoint.Path}' of deployment '{request.DeploymentName}' points outside the code the pull steps fetched ({context.WorkingDirectory}); refusing to run it.");
            }

            if (!File.Exists(source))
            {
                throw new RunPreparationException(
                    $"The entrypoint file '{entrypoint.Path}' is not in the code the pull steps fetched (looked at {source}). "
                    + "Check the deployment's entrypoint and pull steps (the path is relative to the folder the last pull step leaves).");
            }

            // By real paths too (issue 16.7): a symbolic link in the fetched code (pushed to the repository, say) must not run a
            // file from elsewhere on the worker.
            if (!IsInside(RealPath(source), RealPath(context.WorkingDirectory)))
            {
                throw new RunPreparationException(
                    $"The entrypoint '{entrypoint.Path}' of deployment '{request.DeploymentName}' is a symbolic link that points outside the code the pull steps fetched "
                    + $"({context.WorkingDirectory}); refusing to run it. Commit the flow file itself instead of a link to it.");
            }

            try
            {
                build = await compiler.CompileAsync(source, cancellationToken).ConfigureAwait(false);
            }
            catch (CompilationFailedException ex)
            {
                throw new RunPreparationException(ex.Message, ex);
            }
        }

        var flowName = entrypoint.FlowName ?? request.Structure?.Name ?? (build.Flows.Count == 1 ? build.Flows[0].Name : null)
            ?? throw new RunPreparationException($"The entrypoint '{request.Entrypoint}' names no flow and the file has {build.Flows.Count}; write it as {entrypoint.Path}:FLOW.")
            {
                Fetched = fetched with { ContentHash = build.CacheKey },
            };
        var current = build.Flows.FirstOrDefault(f => f.Name == flowName);
        var redeploy = request.RedeployCommand;
        var check = request.Structure is { } recorded
            ? StructureCheck.Compare(recorded, current, request.Entrypoint, [.. build.Flows.Select(f => f.Name)], redeploy)
            : current is null
                ? StructureCheck.Compare(new FlowStructure(flowName, [], []), null, request.Entrypoint, [.. build.Flows.Select(f => f.Name)], redeploy)
                : StructureCheck.Compare(current, current, request.Entrypoint, [], redeploy);
        if (check.Verdict == StructureVerdict.Incompatible)
        {
            throw new RunPreparationException(check.Message!) { Fetched = fetched with { ContentHash = build.CacheKey } };
        }

        return new PreparedRun
        {
            RunFolder = runFolder,
            WorkingDirectory = context.WorkingDirectory,
            SourcePath = request.BuildId is null ? Path.GetRelativePath(context.WorkingDirectory, source) : source,
            BuildId = request.BuildId,
            FlowName = flowName,
            Build = build,
            Structure = check,
            Commit = fetched.Commit,
            ManifestHash = fetched.ManifestHash,
        };
    }

    /// <summary>The stored build from this worker's cache, else downloaded from the server and installed (its packages restored here).</summary>
    private async Task<CompiledFlowFile> StoredBuildAsync(ClaimedRun request, string buildId, CancellationToken cancellationToken)
    {
        if (StoredBuild.TryLoad(compiler.Options, buildId) is { } installed)
        {
            return installed;
        }

        var archive = DownloadBuild is null ? null : await DownloadBuild(buildId, cancellationToken).ConfigureAwait(false);
        if (archive is null)
        {
            throw new RunPreparationException($"Deployment '{request.DeploymentName}' runs the stored build {buildId[..12]}, but the server does not have it. Register the flow again (weir register).");
        }

        try
        {
            return await StoredBuild.InstallAsync(compiler.Options, buildId, archive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or CompilationFailedException)
        {
            throw new RunPreparationException($"The stored build {buildId[..12]} of deployment '{request.DeploymentName}' cannot be installed: {ex.Message}", ex);
        }
    }

    /// <summary>The environment of the run's shell steps: the allowed part of the worker's, the server's address, the run's token and the deployment's env.</summary>
    private Dictionary<string, string> ShellEnvironment(ClaimedRun request)
    {
        var extra = new Dictionary<string, string>(BaseEnvironment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (request.RunToken is { } token)
        {
            extra[WeirClientOptions.RunTokenVariable] = token;
        }

        foreach (var (name, value) in Launchers.ContainerJobVariables.ReadEnvironment(request.JobVariables, request.DeploymentName))
        {
            extra[name] = value;
        }

        return FlowEnvironment.Build(extra);
    }

    /// <summary>Removes a run's folder; a run folder that cannot be removed is left for the next start to clean.</summary>
    public static void Cleanup(string runFolder)
    {
        try
        {
            if (Directory.Exists(runFolder))
            {
                Directory.Delete(runFolder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Retries check out the commit the first attempt resolved, not whatever the branch has now.</summary>
    private static IReadOnlyList<StepDefinition> Pin(IReadOnlyList<StepDefinition> steps, string? commit) =>
        commit is null
            ? steps
            : [.. steps.Select(s => s.ShortName == "git_clone" && s.Arguments["commit"] is null
                ? s with { Arguments = s.Arguments with { Entries = [.. s.Arguments.Entries, new("commit", new ConfigScalar(commit, s.Location))] } }
                : s)];

    private static string? Last(IReadOnlyList<IReadOnlyDictionary<string, object?>> outputs, string key) =>
        outputs.LastOrDefault(o => o.TryGetValue(key, out var v) && v is string)?[key] as string;

    /// <summary>True when <paramref name="path"/> lies below <paramref name="folder"/> (both full paths; <c>/</c> holds everything).</summary>
    private static bool IsInside(string path, string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(folder);
        prefix = prefix.EndsWith(Path.DirectorySeparatorChar) ? prefix : prefix + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The path of an existing file or folder with every symbolic link on the way resolved.</summary>
    private static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var real = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(real, part);
            var link = new FileInfo(next).LinkTarget is not null ? File.ResolveLinkTarget(next, returnFinalTarget: true) : null;
            real = link is null ? next : depth < 40 ? RealPath(link.FullName, depth + 1) : throw new RunPreparationException($"Too many symbolic links on the way to {path}.");
        }

        return real;
    }
}
