using k8s;

namespace Weir.Worker.Kubernetes;

/// <summary>Where the worker's Kubernetes client comes from: a kubeconfig (option, <c>KUBECONFIG</c>, <c>~/.kube/config</c>) or the in-cluster service account.</summary>
internal static class KubernetesConnection
{
    /// <summary>The client and the namespace Jobs go to by default.</summary>
    public static (IKubernetes Client, string Namespace) Connect(KubernetesLauncherOptions options)
    {
        if (options.Client is { } given)
        {
            return (given, options.Namespace ?? "default");
        }

        var config = Configuration(options.Kubeconfig, options.Context);
        return (new k8s.Kubernetes(config), options.Namespace ?? (string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace));
    }

    /// <summary>The client configuration: the named kubeconfig, <c>KUBECONFIG</c>, in-cluster, or <c>~/.kube/config</c>, in that order.</summary>
    public static KubernetesClientConfiguration Configuration(string? kubeconfig, string? context)
    {
        var path = kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        try
        {
            if (path is not null)
            {
                if (!File.Exists(path))
                {
                    throw new KubernetesPoolException(
                        $"The kubeconfig {path} ({(kubeconfig is null ? "KUBECONFIG" : "--kubeconfig")}) does not exist; give the file kubectl uses for the cluster, or leave it out to use ~/.kube/config or, in a cluster, the pod's service account.");
                }

                return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
            }

            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            if (File.Exists(home))
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(home, context);
            }
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw new KubernetesPoolException($"The kubeconfig {path ?? "~/.kube/config"} could not be used: {ex.Message} Check it with kubectl config view{(context is null ? string.Empty : $" (context '{context}')")}.");
        }

        throw new KubernetesPoolException(
            "The kubernetes worker found no cluster: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and it does not run in a pod. "
            + "Point it at the kubeconfig kubectl uses, or run it in the cluster with a service account (docs/kubernetes.md).");
    }
}
