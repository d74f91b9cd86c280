using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Weir.Worker.Kubernetes;

/// <summary>The API server's errors as sentences: its status message, and what to do about the usual ones.</summary>
internal static class KubernetesErrors
{
    /// <summary>The status code and the API server's message of <paramref name="ex"/>.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        HttpOperationException http => $"{(int?)http.Response?.StatusCode} {http.Response?.StatusCode}: {Message(http) ?? http.Message}",
        KubernetesException k8s => $"{k8s.Status?.Code} {k8s.Status?.Reason}: {k8s.Status?.Message ?? k8s.Message}",
        _ => ex.Message,
    };

    /// <summary>The API server's own message in a failed response, if it sent a Status.</summary>
    public static string? Message(HttpOperationException ex)
    {
        try
        {
            return ex.Response?.Content is { Length: > 0 } body ? KubernetesJson.Deserialize<V1Status>(body)?.Message : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A sentence for a refused create of <paramref name="what"/>, with the fix for the usual causes.</summary>
    public static string Refused(HttpOperationException ex, string what, string ns) => ex.Response?.StatusCode switch
    {
        HttpStatusCode.Forbidden =>
            $"The worker may not create {what} in namespace '{ns}' ({Describe(ex)}). Give its service account (or kubeconfig user) the Role in docs/kubernetes.md in that namespace.",
        HttpStatusCode.NotFound => $"Namespace '{ns}' does not exist for {what} ({Describe(ex)}). Create it (kubectl create namespace {ns}) or set job variable 'namespace'.",
        HttpStatusCode.UnprocessableEntity => $"The API server refused {what} as invalid ({Describe(ex)}). Fix the pool's job template or the deployment's job variables.",
        _ => $"The API server refused {what} in namespace '{ns}' ({Describe(ex)}).",
    };
}
