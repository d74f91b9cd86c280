using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Weir.Cli.Output;
using Weir.Client;
using Weir.Compiler;
using Weir.Worker;
using Weir.Worker.Kubernetes;
using Weir.Worker.Launchers;

namespace Weir.Cli.Commands;

/// <summary><c>weir worker start --pool NAME</c>.</summary>
internal static class WorkerCommands
{
    public static Command Create()
    {
        var pool = new Option<string>("--pool", "-p") { Description = "The work pool to take runs from.", Required = true };
        var limit = new Option<int>("--limit") { Description = "How many runs at once.", DefaultValueFactory = _ => 4 };
        var name = new Option<string?>("--name") { Description = "The worker's name. Defaults to host-pid." };
        var standby = new Option<int>("--standby") { Description = "process pools: flow processes kept started ahead of runs, so a claimed run need not wait for one to start (0: start each on claim).", DefaultValueFactory = _ => 1 };
        var runsPerProcess = new Option<int>("--runs-per-process") { Description = "process pools: how many runs one flow process may run, one after another, each in a fresh load context (1: a process per run).", DefaultValueFactory = _ => 1 };
        var type = new Option<string>("--type")
        {
            Description = "in-process: run each flow inside this worker's process (fastest; cooperative cancellation; a crashing flow takes the worker down); "
                + "process: a flow process per run; container: a container of the deployment's image per run (docker); kubernetes: a Job per run.",
            DefaultValueFactory = _ => WorkPoolTypes.Process,
        };
        type.AcceptOnlyFromAmong([.. WorkPoolTypes.All]);
        var grace = new Option<double>("--cancel-grace") { Description = "in-process pools: seconds a cancelled run's code may go on before it is left running and the run ends Cancelled.", DefaultValueFactory = _ => 10 };
        var maxAbandoned = new Option<int>("--max-abandoned") { Description = "in-process pools: after this many abandoned runs still running, the worker lets its other runs end and restarts itself.", DefaultValueFactory = _ => 3 };
        var image = new Option<string?>("--image") { Description = "container and kubernetes pools: the image for deployments whose job variables name none." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubernetes pools: the kubeconfig file (default: KUBECONFIG, the pod's service account in a cluster, else ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "kubernetes pools: the kubeconfig context (default: its current context)." };
        var ns = new Option<string?>("--namespace") { Description = "kubernetes pools: the namespace of Jobs whose job variables name none (default: the context's, or the worker pod's own)." };
        var jobApiUrl = new Option<string?>("--job-api-url") { Description = "kubernetes pools: the server's URL as flow pods reach it (default: the URL this worker uses)." };
        var drain = new Option<double>("--drain-seconds")
        {
            Description = "On SIGTERM or Ctrl-C: seconds to wait for running flows to end, claiming no more, before stopping them (Crashed, re-scheduled when retries allow). A second signal stops at once.",
            DefaultValueFactory = _ => 30,
        };
        var start = new Command("start", "Start a worker: it claims runs of a pool and runs each in a child process, a container or a Kubernetes Job.")
        {
            pool, limit, name, standby, runsPerProcess, type, grace, maxAbandoned, image, kubeconfig, context, ns, jobApiUrl, drain,
        };
        Start = start;
        CliAction.Set(start, async (parse, cancellationToken) =>
        {
            // 0700 (issue 16.7): run folders, compiled flows and journals are this user's alone.
            var home = WeirHome.Create(FlowCompilerOptions.DefaultWeirHome());
            // A worker outlives server restarts and database outages: its calls wait them out.
            using var client = WeirClient.FromEnvironment("weir-worker", retryUnavailable: TimeSpan.FromMinutes(2));
            // The key is in the client now; nothing the worker starts (and no in-process flow) finds it in the environment.
            FlowEnvironment.WithholdFromThisProcess();
            using var loggers = LoggerFactory.Create(b => b.AddProvider(new TerminalLoggerProvider(parse.GetValue(GlobalOptions.Verbose))).SetMinimumLevel(LogLevel.Trace));
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var signals = loggers.CreateLogger("Weir.Worker");
            void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
            {
                if (stopping.IsCancellationRequested)
                {
                    return; // a second signal: the default, stop at once
                }

                context.Cancel = true;
                signals.LogWarning("{Signal} received: the worker stops claiming and lets its running flows end (a second signal stops at once).", context.Signal);
                stopping.Cancel();
            }

            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
            cancellationToken = stopping.Token;
            var options = new WorkerOptions
            {
                Pool = parse.GetValue(pool)!,
                Limit = Math.Max(1, parse.GetValue(limit)),
                Name = parse.GetValue(name) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                WeirHome = home,
                Standby = Math.Max(0, parse.GetValue(standby)),
                RunsPerProcess = Math.Max(1, parse.GetValue(runsPerProcess)),
                CancellationGrace = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(grace))),
                MaxAbandonedRuns = Math.Max(1, parse.GetValue(maxAbandoned)),
                DrainTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(drain))),
                LoggerFactory = loggers,
            };
            await WarnOnTypeMismatchAsync(client, options.Pool, parse.GetValue(type)!, cancellationToken).ConfigureAwait(false);
            var server = new HttpWorkerServer(client, home);
            if (parse.GetValue(type) == WorkPoolTypes.InProcess)
            {
                WorkerStop stopped;
                await using (var launcher = new InProcessFlowLauncher(server, options, client))
                {
                    stopped = await new Worker.Worker(server, options, launcher).RunAsync(cancellationToken).ConfigureAwait(false);
                }

                if (stopped == WorkerStop.Restart)
                {
                    throw new CliError("The worker could not restart itself: " + WorkerRestart.Exec());
                }
            }
            else if (parse.GetValue(type) == WorkPoolTypes.Container)
            {
                var launcher = new ContainerFlowLauncher(server, new ContainerLauncherOptions { DefaultImage = parse.GetValue(image), Worker = options });
                await launcher.RemoveLeftoversAsync(
                    async (id, token) => (await client.GetRunAsync(id, token).ConfigureAwait(false))?.State,
                    line => Terminal.Error.MarkupLine("[grey]" + Markup.Escape(line) + "[/]"), cancellationToken).ConfigureAwait(false);
                await new Worker.Worker(server, options, launcher).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (parse.GetValue(type) == WorkPoolTypes.Kubernetes)
            {
                var poolName = options.Pool;
                KubernetesFlowLauncher launcher;
                try
                {
                    launcher = new KubernetesFlowLauncher(server, new KubernetesLauncherOptions
                    {
                        Worker = options,
                        Kubeconfig = parse.GetValue(kubeconfig),
                        Context = parse.GetValue(context),
                        Namespace = parse.GetValue(ns),
                        ApiUrl = parse.GetValue(jobApiUrl),
                        DefaultImage = parse.GetValue(image),
                        PoolTemplate = async token => (await client.GetPoolAsync(poolName, token).ConfigureAwait(false))?.BaseJobTemplate,
                    });
                }
                catch (KubernetesPoolException ex)
                {
                    throw new CliError(ex.Message);
                }

                using (launcher)
                {
                    Terminal.Error.MarkupLine($"[grey]Kubernetes Jobs go to namespace {Markup.Escape(launcher.Namespace)} unless a deployment's job variables say otherwise.[/]");
                    await new Worker.Worker(server, options, launcher).RunAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                using var launcher = new ProcessFlowLauncher(server, options);
                await new Worker.Worker(server, options, launcher).RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        var command = new Command("worker", "Run a worker.");
        command.Subcommands.Add(start);
        return command;
    }

    /// <summary>
    /// <c>weir worker start</c>, which handles SIGTERM and Ctrl-C itself (a drain, not the 2 s System.CommandLine gives an
    /// action before it ends the process).
    /// </summary>
    public static Command? Start { get; private set; }

    /// <summary>A pool that weir deploy created is a process pool until told otherwise; say so rather than refuse (the server may not be up yet either).</summary>
    private static async Task WarnOnTypeMismatchAsync(Weir.Client.WeirClient client, string pool, string type, CancellationToken cancellationToken)
    {
        try
        {
            if (await client.GetPoolAsync(pool, cancellationToken).ConfigureAwait(false) is { } existing && existing.Type != type)
            {
                Terminal.Error.MarkupLine($"[yellow]warning:[/] work pool '{Markup.Escape(pool)}' is recorded as a {existing.Type} pool; this worker runs its runs as the {type} type. "
                    + $"Record the type with: weir work-pool create {Markup.Escape(pool)} --type {type}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or Weir.Client.WeirApiException)
        {
            // The worker's own loop reports an unreachable server or a refused key.
        }
    }
}
