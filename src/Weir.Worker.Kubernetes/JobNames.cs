using System.Security.Cryptography;
using System.Text;

namespace Weir.Worker.Kubernetes;

/// <summary>
/// The names and labels of a run's Kubernetes objects. A Job's name comes from its run id and attempt only, so a second submit of
/// the same attempt (a retried request, a second worker) is refused by the API server as AlreadyExists instead of running the flow twice.
/// </summary>
internal static class JobNames
{
    /// <summary>The label naming a Job's (and its pod's) flow run.</summary>
    public const string RunLabel = "weir.flow-run-id";

    /// <summary>The label naming the worker that submitted a Job.</summary>
    public const string WorkerLabel = "weir.worker";

    /// <summary>The label naming that worker's pool.</summary>
    public const string PoolLabel = "weir.pool";

    /// <summary>The label with the run's attempt (its claim count).</summary>
    public const string AttemptLabel = "weir.attempt";

    /// <summary>The label the Job controller gives a Job's pods (with the Job's name).</summary>
    public const string JobNameLabel = "job-name";

    /// <summary><c>weir-RUNID-ATTEMPT</c>: a DNS label of 41 characters at most (pods add 6 to it, within the 63 a label value allows).</summary>
    public static string Job(Guid flowRunId, int attempt) => $"weir-{flowRunId:N}-{attempt}";

    /// <summary>The Secret with the run's credentials, named after its Job.</summary>
    public static string Secret(Guid flowRunId, int attempt) => Job(flowRunId, attempt) + "-env";

    /// <summary>
    /// <paramref name="value"/> as a label value (63 characters of letters, digits, <c>-_.</c>, beginning and ending with a letter or
    /// digit). A name that is not one already gets a hash of itself appended, so two pools or workers never share a label; the
    /// exact name is in the annotation of the same key.
    /// </summary>
    public static string LabelValue(string value)
    {
        var clean = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        var text = clean.ToString().Trim('-', '_', '.');
        if (text == value && text.Length <= 63)
        {
            return text;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];
        text = text[..Math.Min(text.Length, 54)].TrimEnd('-', '_', '.');
        return text.Length == 0 ? hash : text + "-" + hash;
    }
}
