using System.Diagnostics;

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
    private RunningProcess? _worker;
    private InfraServer? _docker;
    private InfraServer? _registry;
    private TestServer? _server;

    // Short: dockerd's exec root holds unix sockets, whose paths may not exceed 107 bytes.
    public string Root { get; } = Directory.CreateTempSubdirectory("weir-ctr-").FullName;

    public string Home => Path.Combine(Root, "home");

    public string Project => Path.Combine(Root, "project");

    public string DockerHost { get; private set; } = null!;

    public string Registry { get; private set; } = null!;

    /// <summary>The image weir deploy built and pushed (registry/flows:v1).</summary>
    public string Image => $"{Registry}/flows:v1";

    public TestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public WeirClient Client => Server.Client;

    /// <summary><c>weir</c> against the server with the private daemon (<c>DOCKER_HOST</c> only: builds and pushes must use the credentials block, not a docker login), up to 6 minutes.</summary>
    public WeirCli Cli => new WeirCli(Home, Server.Url) { Timeout = TimeSpan.FromMinutes(6) }.With(new Dictionary<string, string> { ["DOCKER_HOST"] = DockerHost });

    public string DeployOutput { get; private set; } = string.Empty;

    /// <summary>How long each part of the set-up took, for the test output.</summary>
    public string Timings => string.Join('\n', _timings);

    private readonly List<string> _timings = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private void Mark(string what)
    {
        _timings.Add($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");
    }

    public string WorkerLog => _worker?.Output ?? string.Empty;

    /// <summary>The environment of the worker and of weir deploy: the private daemon, and (worker) a docker login to the registry.</summary>
    public Dictionary<string, string> DockerEnvironment => new() { ["DOCKER_HOST"] = DockerHost, ["DOCKER_CONFIG"] = Path.Combine(Root, "worker-docker-config") };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        _docker = await InfraServer.StartAsync("docker.sh", Path.Combine(Root, "d"));
        DockerHost = _docker.Url;
        Mark("dockerd started");
        await _docker.RunAsync("base-image", BaseImage);
        Mark("base image imported");
        _registry = await InfraServer.StartOnFreePortAsync("docker-registry.sh", Path.Combine(Root, "r"), RegistryUser, _registryPassword);
        Registry = _registry.Url;
        Mark("registry started");

        // The worker pulls with its docker's own login, as an operator would set it up.
        var login = await DockerAsync(["login", Registry, "--username", RegistryUser, "--password-stdin"], _registryPassword + "\n");
        login.ExitCode.ShouldBe(0, login.Output);

        // A short worker silence, so the SIGKILL tests see within seconds whether a dead worker's runs are crashed.
        _server = await TestServer.StartAsync(new TestServerOptions { Home = Path.Combine(Root, "server"), WorkerSilence = WorkerSilence, CrashCheckInterval = TimeSpan.FromSeconds(1) });
        await Client.PutPoolAsync(Pool, "container", null, CancellationToken.None);
        await Client.PutPoolAsync(DoomedPool, "container", null, CancellationToken.None);
        await Client.PutBlockAsync("docker-registry-credentials", "test-registry",
            new JsonObject { ["username"] = RegistryUser, ["password"] = _registryPassword, ["registry_url"] = Registry }, CancellationToken.None);

        await WriteProjectAsync();
        var deploy = await Cli.RunAsync(Project, "deploy", "--all");
        DeployOutput = deploy.Stdout + deploy.Stderr;
        deploy.ExitCode.ShouldBe(0, DeployOutput);
        Mark("weir deploy (build + push) done");

        // weir deploy built the image on this daemon; remove it so the worker's first run pulls it from the registry.
        (await DockerAsync(["image", "rm", Image])).ExitCode.ShouldBe(0);

        _worker = StartWorker(Pool, "container-worker");
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        foreach (var server in new[] { _registry, _docker })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        TempFolder.Delete(Root);
    }

    /// <summary>Starts another container worker of <see cref="DoomedPool"/>; the caller kills it.</summary>
    public RunningProcess StartWorker(string name) => StartWorker(DoomedPool, name);

    /// <summary>Runs the docker command against the private daemon, with the worker's docker login.</summary>
    public async Task<(int ExitCode, string Output)> DockerAsync(IEnumerable<string> args, string? input = null)
    {
        var result = await Shell.ExecAsync(Shell.StartInfo("docker", args, environment: DockerEnvironment.ToDictionary(p => p.Key, p => (string?)p.Value)), input);
        return (result.ExitCode, result.Output);
    }

    /// <summary>Waits until a run reaches one of the given states (or 2 minutes pass) and returns it.</summary>
    public Task<FlowRunDto> WaitForAsync(Guid id, params StateType[] states) =>
        Poll.ValueAsync(async () => (await Client.GetRunAsync(id, CancellationToken.None))!, run => states.Contains(run.State), TimeSpan.FromMinutes(2));

    private async Task WriteProjectAsync()
    {
        await ProjectFiles.WriteFlowAsync(Project, "jobs.cs", ContainerTests.Flows("baked into v1"));
        await File.WriteAllTextAsync(Path.Combine(Project, "notes.secret"), "left out by .weirignore");
        await File.WriteAllTextAsync(Path.Combine(Project, ".weirignore"), "*.secret\n");
        var runner = AppContext.BaseDirectory;
        await ProjectFiles.WriteWeirYamlAsync(Project, $$$"""
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

    private RunningProcess StartWorker(string pool, string name) =>
        new WeirCli(Home, Server.Url).With(DockerEnvironment).StartWorker(Root, pool, name, "--type", "container", "--limit", "2");
}
