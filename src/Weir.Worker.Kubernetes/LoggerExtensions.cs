using Microsoft.Extensions.Logging;

namespace Weir.Worker.Kubernetes;

/// <summary>Log helpers of the kubernetes launcher.</summary>
internal static class LoggerExtensions
{
    /// <summary>A warning whose text is already a sentence.</summary>
    public static void LogWarningSentence(this ILogger logger, string message) => logger.LogWarning("{Message}", message);
}
