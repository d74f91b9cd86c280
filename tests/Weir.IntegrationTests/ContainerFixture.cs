using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Weir.Client;
using Weir.Server;

namespace Weir.IntegrationTests;

/// <summary>
/// Everything the container pool needs, real and private to this collection: a Docker daemon
/// (tests/infra/docker.sh: own data root, exec root and socket, no bridge, no iptables), a base image
/// built offline (Debian minbase + this machine's .NET runtime), a registry that requires a login
/// (tests/infra/docker-registry.sh), a Weir server, a <c>weir worker start --type container</c>
/// process, and a project deployed once with <c>weir deploy</c>: build_docker_image (auto) and
/// push_docker_image with a docker-registry-credentials block. Daemon and registry stop by PID.
/// </summary>
public sealed class ContainerFixture : IAsyncLifetime
{
    public const string Pool = "containers";

    /// <summary>The pool of the workers the SIGKILL tests start and kill themselves.</summary>
    public const string DoomedPool = "doomed";

    public static readonly TimeSpan WorkerSilence = TimeSpan.FromSeconds(10);
    public const string BaseImage = "weir-test-base";
    private const string RegistryUser = "weir-pusher";

    private readonly string _registryPassword = "pw-" + Guid.NewGuid().ToString("N");
    private readonly List<string> _workerLines = [];
    private Process? _worker;
    private bool _dockerStarted;
    private bool _registryStarted;

    // Short: dockerd's exec root holds unix sockets, whose paths may not exceed 107 bytes.
    public string Root { get; } = Directory.CreateTempSubdirectory("weir-ctr-").FullName;

    public string Home => Path.Combine(Root, "home");

    public string Project => Path.Combine(Root, "project");

    public string DockerHost { get; private set; } = null!;

    public string Registry { get; private set; } = null!;

    /// <summary>The image weir deploy built and pushed (registry/flows:v1).</summary>
    public string Image => $"{Registry}/flows:v1";

    public WeirServer Server { get; private set; } = null!;

    public WeirClient Client { get; private set; } = null!;

    public string DeployOutput { get; private set; } = string.Empty;

    /// <summary>How long each part of the set-up took, for the test output.</summary>
    public string Timings => string.Join('\n', _timings);

    private readonly List<string> _timings = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private void Mark(string what)
    {
        _timings.Add($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");
    }

    public string WorkerLog
    {
        get
        {
            lock (_workerLines)
            {
                return string.Join('\n', _workerLines);
            }
        }
    }

    /// <summary>The environment of the worker and of weir deploy: the private daemon, and (worker) a docker login to the registry.</summary>
    public Dictionary<string, string> DockerEnvironment => new() { ["DOCKER_HOST"] = DockerHost, ["DOCKER_CONFIG"] = Path.Combine(Root, "worker-docker-config") };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        DockerHost = (await ScriptAsync("docker.sh", "start", Path.Combine(Root, "d"))).Trim();
        _dockerStarted = true;
        Mark("dockerd started");
        await ScriptAsync("docker.sh", "base-image", Path.Combine(Root, "d"), BaseImage);
        Mark("base image imported");
        Registry = (await ScriptAsync("docker-registry.sh", "start", Path.Combine(Root, "r"), FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), RegistryUser, _registryPassword)).Trim();
        _registryStarted = true;
        Mark("registry started");

        // The worker pulls with its docker's own login, as an operator would set it up.
        var login = await DockerAsync(["login", Registry, "--username", RegistryUser, "--password-stdin"], _registryPassword + "\n");
        login.ExitCode.ShouldBe(0, login.Output);

        // A short worker silence, so the SIGKILL tests see within seconds whether a dead worker's runs are crashed.
        Server = await WeirServer.StartAsync(new WeirServerOptions
        {
            Port = 0, WeirHome = Path.Combine(Root, "server"), ApiKey = null, WorkerSilence = WorkerSilence, CrashCheckInterval = TimeSpan.FromSeconds(1),
        });
        Client = new WeirClient(Server.Url);
        await Client.PutPoolAsync(Pool, "container", null, CancellationToken.None);
        await Client.PutPoolAsync(DoomedPool, "container", null, CancellationToken.None);
        await Client.PutBlockAsync("docker-registry-credentials", "test-registry",
            new JsonObject { ["username"] = RegistryUser, ["password"] = _registryPassword, ["registry_url"] = Registry }, CancellationToken.None);

        await WriteProjectAsync();
        var deploy = await Cli.RunAsync(Cli.Start(Home, Project, Server.Url, ["deploy", "--all"], new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost }), timeoutMinutes: 6);
        DeployOutput = deploy.Stdout + deploy.Stderr;
        deploy.ExitCode.ShouldBe(0, DeployOutput);
        Mark("weir deploy (build + push) done");

        // weir deploy built the image on this daemon; remove it so the worker's first run pulls it from the registry.
        (await DockerAsync(["image", "rm", Image])).ExitCode.ShouldBe(0);

        _worker = Process.Start(Cli.Start(Home, Root, Server.Url, ["worker", "start", "--pool", Pool, "--type", "container", "--limit", "2", "--name", "container-worker"], DockerEnvironment))!;
        _worker.OutputDataReceived += (_, e) => Record(e.Data);
        _worker.ErrorDataReceived += (_, e) => Record(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
    }

    public async Task DisposeAsync()
    {
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
        }

        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_registryStarted)
        {
            await ScriptAsync("docker-registry.sh", "stop", Path.Combine(Root, "r"));
        }

        if (_dockerStarted)
        {
            await ScriptAsync("docker.sh", "stop", Path.Combine(Root, "d"));
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts another container worker (of <see cref="DoomedPool"/>) whose output goes to <paramref name="lines"/>; the caller kills it.</summary>
    public Process StartWorker(string name, List<string> lines)
    {
        var worker = Process.Start(Cli.Start(Home, Root, Server.Url, ["worker", "start", "--pool", DoomedPool, "--type", "container", "--limit", "2", "--name", name], DockerEnvironment))!;
        void Add(string? line)
        {
            if (line is not null)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        }

        worker.OutputDataReceived += (_, e) => Add(e.Data);
        worker.ErrorDataReceived += (_, e) => Add(e.Data);
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Runs the docker command against the private daemon, with the worker's docker login.</summary>
    public async Task<(int ExitCode, string Output)> DockerAsync(IEnumerable<string> args, string? input = null)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in DockerEnvironment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits until a run reaches one of the given states (or 2 minutes pass) and returns it.</summary>
    public async Task<FlowRunDto> WaitForAsync(Guid id, params StateType[] states)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var run = (await Client.GetRunAsync(id, CancellationToken.None))!;
            if (states.Contains(run.State) || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(200);
        }
    }

    private async Task WriteProjectAsync()
    {
        Directory.CreateDirectory(Path.Combine(Project, "flows"));
        await File.WriteAllTextAsync(Path.Combine(Project, "flows", "jobs.cs"), ContainerTests.Flows("baked into v1"));
        await File.WriteAllTextAsync(Path.Combine(Project, "notes.secret"), "left out by .weirignore");
        await File.WriteAllTextAsync(Path.Combine(Project, ".weirignore"), "*.secret\n");
        var runner = AppContext.BaseDirectory;
        await File.WriteAllTextAsync(Path.Combine(Project, "weir.yaml"), $$$"""
            name: container-itest
            build:
            - build_docker_image:
                id: build_image
                image_name: '{{{Registry}}}/flows'
                tag: v1
                dockerfile: auto
                base_image: {{{BaseImage}}}
                runner_directory: '{{{runner}}}'
            push:
            - push_docker_image:
                image_name: '{{ build_image.image_name }}'
                tag: '{{ build_image.tag }}'
                credentials: '{{ weir.blocks.docker-registry-credentials.test-registry }}'
            pull:
            - set_working_directory:
                directory: /opt/weir/project
            deployments:
            - name: hello
              entrypoint: flows/jobs.cs:hello
              work_pool: { name: {{{Pool}}}, job_variables: { image: '{{ build_image.image }}', env: { GREETING: from-job-variables } } }
            - name: sleep
              entrypoint: flows/jobs.cs:sleep
              work_pool: { name: {{{Pool}}}, job_variables: { image: '{{ build_image.image }}' } }
            - name: exit
              entrypoint: flows/jobs.cs:exit
              work_pool: { name: {{{Pool}}}, job_variables: { image: '{{ build_image.image }}' } }
            - name: hello-nocache
              entrypoint: flows/jobs.cs:hello
              work_pool: { name: {{{Pool}}}, job_variables: { image: '{{ build_image.image }}', compile_cache: false } }
            - name: linger
              entrypoint: flows/jobs.cs:linger
              work_pool: { name: {{{DoomedPool}}}, job_variables: { image: '{{ build_image.image }}' } }
            - name: nap
              entrypoint: flows/jobs.cs:sleep
              work_pool: { name: {{{DoomedPool}}}, job_variables: { image: '{{ build_image.image }}' } }
            - name: no-image
              entrypoint: flows/jobs.cs:hello
              work_pool: { name: {{{Pool}}} }
            """);
    }

    private static async Task<string> ScriptAsync(string script, params string[] args)
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "infra", script);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weir.slnx not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_workerLines)
            {
                _workerLines.Add(line);
            }
        }
    }
}
