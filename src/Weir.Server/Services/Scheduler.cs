using Microsoft.Extensions.Logging;

namespace Weir.Server.Services;

/// <summary>
/// Creates the runs of deployment schedules ahead of time: every occurrence up to
/// <see cref="WeirServerOptions.ScheduleAhead"/> from now (at most <see cref="WeirServerOptions.MaxScheduledRuns"/>
/// per schedule). Idempotent: a deployment has at most one run per scheduled time (a unique key), so
/// passes that overlap, or two servers, create nothing twice.
/// </summary>
internal sealed class Scheduler(IWeirStore store, WeirServerOptions options, TimeProvider time, ILogger<Scheduler> logger) : ServerLoop(time, logger)
{
    protected override TimeSpan Interval => options.ScheduleInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var created = 0;
        foreach (var deployment in await store.ScheduledDeploymentsAsync(cancellationToken).ConfigureAwait(false))
        {
            var runs = new List<NewFlowRun>();
            foreach (var schedule in deployment.Schedules.Where(s => s.Active))
            {
                foreach (var at in ScheduleMath.Occurrences(schedule, now, now + options.ScheduleAhead, options.MaxScheduledRuns))
                {
                    runs.Add(new NewFlowRun { Deployment = deployment, Start = at, ScheduledFor = at });
                }
            }

            if (runs.Count > 0)
            {
                created += (await store.CreateRunsAsync(runs, cancellationToken).ConfigureAwait(false)).Count;
            }
        }

        if (created > 0)
        {
            logger.LogInformation("Scheduled {Count} new run(s).", created);
        }
    }
}
