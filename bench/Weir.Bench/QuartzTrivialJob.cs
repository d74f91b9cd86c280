using Quartz;

namespace Weir.Bench;

/// <summary>The Quartz.NET job: the trivial body with the job's <c>x</c> from its job data.</summary>
internal sealed class QuartzTrivialJob : IJob
{
    public const string Argument = "x";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        TrivialBody.AddOne(context.MergedJobDataMap.GetInt(Argument));
        return ValueTask.CompletedTask;
    }
}
