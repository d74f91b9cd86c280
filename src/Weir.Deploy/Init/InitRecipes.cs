using System.Text;

namespace Weir.Deploy.Init;

/// <summary>
/// The recipes of <c>weir init</c>: where the code is stored (local folder, git, an object store, a
/// container image, or an image plus a store), as push and pull steps in <c>weir.yaml</c>.
/// </summary>
internal static class InitRecipes
{
    /// <summary>The file the kubernetes recipe writes the pool's job template to.</summary>
    public const string KubernetesTemplateFile = "kubernetes-job-template.yaml";

    /// <summary>
    /// The recipes. <paramref name="kubernetesJobTemplate"/> is the text of the kubernetes pool's built-in job template (the worker
    /// library owns it); without it there is no kubernetes recipe.
    /// </summary>
    public static IReadOnlyList<InitRecipe> Create(string projectDir, string projectName, string? gitRemote, string? gitBranch, string? kubernetesJobTemplate = null)
    {
        var folder = new RecipeField("folder", "Folder (prefix) in the bucket or container", projectName);
        var bucket = new RecipeField("bucket", "Bucket name");
        var container = new RecipeField("container", "Container name");
        var image = new RecipeField("image_name", "Image name (with registry, e.g. 127.0.0.1:5000/flows)", projectName);
        var tag = new RecipeField("tag", "Image tag", "latest");
        var baseImage = new RecipeField("base_image", "Base image with the ASP.NET Core runtime (one the Docker daemon has, or can pull)", Weir.Storage.Docker.DockerDefaults.BaseImage);
        var registryCreds = new RecipeField("registry_credentials", "docker-registry-credentials block to push with (empty to use your docker login)", Optional: true);
        var provider = new RecipeField("provider", "Kind of git host: github, gitlab or bitbucket (empty for github.com, gitlab.com or bitbucket.org; needed for a self-hosted GitLab or Bitbucket)", Optional: true);
        var repository = new RecipeField("repository", "Repository URL workers clone", gitRemote);
        var branch = new RecipeField("branch", "Branch", gitBranch ?? "main");
        var token = new RecipeField("token_block", "Secret block with an access token (empty for a public repository)", Optional: true);
        var awsCreds = new RecipeField("credentials_block", "aws-credentials block name (empty to use the worker's own credentials)", Optional: true);
        var azureCreds = new RecipeField("credentials_block", "azure-blob-storage-credentials block name", Optional: true);
        var gcpCreds = new RecipeField("credentials_block", "gcp-credentials block name (empty to use the worker's own credentials)", Optional: true);
        var k8sPool = new RecipeField("pool", "Kubernetes work pool name", "k8s");
        var k8sNamespace = new RecipeField("namespace", "Namespace of the flow Jobs (empty for the worker's)", Optional: true);
        var entrypoint = new RecipeField("entrypoint", "Flow to deploy, as path/file.cs:flow-name (empty to add deployments later)", Optional: true);

        List<InitRecipe> recipes =
        [
            new("local", "Workers run the code from this folder on their own machine.", [], _ => Yaml(projectName, pull: SetWorkingDirectory(projectDir))),
            new("git", "Workers clone the code from a git repository (push it yourself).", [repository, branch, token, provider], f => Yaml(projectName, pull: GitClone(f))),
            new("s3", "weir deploy uploads the code to S3 (or an S3-compatible store); workers download it.", [bucket, folder, awsCreds],
                f => Yaml(projectName, push: Store("push_to_s3", "bucket", f, "aws-credentials"), pull: StorePull("pull_from_s3", "bucket", f, "aws-credentials"))),
            new("azure", "weir deploy uploads the code to Azure Blob Storage; workers download it.", [container, folder, azureCreds],
                f => Yaml(projectName, push: Store("push_to_azure_blob_storage", "container", f, "azure-blob-storage-credentials"), pull: StorePull("pull_from_azure_blob_storage", "container", f, "azure-blob-storage-credentials"))),
            new("gcs", "weir deploy uploads the code to Google Cloud Storage; workers download it.", [bucket, folder, gcpCreds],
                f => Yaml(projectName, push: Store("push_to_gcs", "bucket", f, "gcp-credentials"), pull: StorePull("pull_from_gcs", "bucket", f, "gcp-credentials"))),
            new("docker", "weir deploy builds an image with the code baked in; a container work pool runs it.", [image, tag, baseImage, registryCreds],
                f => Yaml(projectName, build: DockerBuild(f), push: DockerPush(f), pull: SetWorkingDirectory("/opt/weir/project"), image: true)),
            new("docker-git", "An image with Weir; the code comes from git at run time.", [image, tag, baseImage, registryCreds, repository, branch, token, provider],
                f => Yaml(projectName, build: DockerBuild(f, bakeCode: false), push: DockerPush(f), pull: GitClone(f), image: true)),
            new("docker-s3", "An image with Weir; the code comes from S3 at run time.", [image, tag, baseImage, registryCreds, bucket, folder, awsCreds],
                f => Yaml(projectName, build: DockerBuild(f, bakeCode: false), push: DockerPush(f) + Store("push_to_s3", "bucket", f, "aws-credentials"), pull: StorePull("pull_from_s3", "bucket", f, "aws-credentials"), image: true)),
            new("docker-azure", "An image with Weir; the code comes from Azure Blob Storage at run time.", [image, tag, baseImage, registryCreds, container, folder, azureCreds],
                f => Yaml(projectName, build: DockerBuild(f, bakeCode: false), push: DockerPush(f) + Store("push_to_azure_blob_storage", "container", f, "azure-blob-storage-credentials"), pull: StorePull("pull_from_azure_blob_storage", "container", f, "azure-blob-storage-credentials"), image: true)),
            new("docker-gcs", "An image with Weir; the code comes from Google Cloud Storage at run time.", [image, tag, baseImage, registryCreds, bucket, folder, gcpCreds],
                f => Yaml(projectName, build: DockerBuild(f, bakeCode: false), push: DockerPush(f) + Store("push_to_gcs", "bucket", f, "gcp-credentials"), pull: StorePull("pull_from_gcs", "bucket", f, "gcp-credentials"), image: true)),
        ];
        if (kubernetesJobTemplate is not null)
        {
            recipes.Add(new("kubernetes", "weir deploy builds and pushes an image with the code baked in; a kubernetes work pool runs each flow run as a Job of it.",
                [image, tag, baseImage, registryCreds, k8sPool, k8sNamespace, entrypoint],
                f => Yaml(projectName, build: DockerBuild(f), push: DockerPush(f), pull: SetWorkingDirectory("/opt/weir/project"), image: true, deployments: KubernetesDeployment(f)),
                _ => new Dictionary<string, string> { [KubernetesTemplateFile] = kubernetesJobTemplate },
                f => $"Create the pool with its job template: weir work-pool create {f["pool"]} --type kubernetes --base-job-template {KubernetesTemplateFile}; "
                    + $"then start a worker where kubectl reaches the cluster (or in it): weir worker start --pool {f["pool"]} --type kubernetes. "
                    + "The image must be in a registry the cluster's nodes pull from (docs/kubernetes.md)."));
        }

        return recipes;
    }

    private static string KubernetesDeployment(IReadOnlyDictionary<string, string> f)
    {
        var variables = new StringBuilder("      image: '{{ build_image.image }}'\n");
        if (f.TryGetValue("namespace", out var ns) && ns.Length > 0)
        {
            variables.Append($"      namespace: {Quote(ns)}\n");
        }

        variables.Append("      resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { memory: 512Mi } }\n");
        var pool = f.TryGetValue("pool", out var p) && p.Length > 0 ? p : "k8s";
        if (!f.TryGetValue("entrypoint", out var entry) || entry.Length == 0)
        {
            return "# deployments: add one per flow you want to run from a server, for example:\n"
                + "# - name: kubernetes\n#   entrypoint: flows/my_flow.cs:example\n"
                + $"#   work_pool:\n#     name: {Quote(pool)}\n#     job_variables:\n" + string.Concat(variables.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "#" + l[1..] + "\n"))
                + "deployments: []\n";
        }

        var flow = entry.Contains(':', StringComparison.Ordinal) ? entry[(entry.LastIndexOf(':') + 1)..] : "flow";
        return $"deployments:\n- name: {Quote(flow + "-kubernetes")}\n  entrypoint: {Quote(entry)}\n  work_pool:\n    name: {Quote(pool)}\n    job_variables:\n" + variables;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string SetWorkingDirectory(string directory) => $"- set_working_directory:\n    directory: {Quote(directory)}\n";

    private static string GitClone(IReadOnlyDictionary<string, string> f)
    {
        var text = new StringBuilder($"- git_clone:\n    id: clone\n    repository: {Quote(f["repository"])}\n    branch: {Quote(f["branch"])}\n");
        if (f.TryGetValue("token_block", out var block) && block.Length > 0)
        {
            text.Append($"    access_token: '{{{{ weir.blocks.secret.{block} }}}}'\n");
        }

        if (f.TryGetValue("provider", out var provider) && provider.Length > 0)
        {
            text.Append($"    provider: {Quote(provider)}\n");
        }

        return text.ToString();
    }

    private static string Store(string step, string place, IReadOnlyDictionary<string, string> f, string blockType) =>
        $"- {step}:\n    id: push_code\n    {place}: {Quote(f[place])}\n    folder: {Quote(f["folder"])}\n" + Credentials(f, blockType);

    private static string StorePull(string step, string place, IReadOnlyDictionary<string, string> f, string blockType) =>
        $"- {step}:\n    id: pull_code\n    {place}: '{{{{ push_code.{place} }}}}'\n    folder: '{{{{ push_code.folder }}}}'\n" + Credentials(f, blockType);

    private static string Credentials(IReadOnlyDictionary<string, string> f, string blockType) =>
        f.TryGetValue("credentials_block", out var block) && block.Length > 0 ? $"    credentials: '{{{{ weir.blocks.{blockType}.{block} }}}}'\n" : string.Empty;

    private static string DockerBuild(IReadOnlyDictionary<string, string> f, bool bakeCode = true) =>
        $"- build_docker_image:\n    id: build_image\n    image_name: {Quote(f["image_name"])}\n    tag: {Quote(f["tag"])}\n    dockerfile: auto\n"
        + "    # the runner needs ASP.NET Core; without the internet use an image the daemon has (README: \"A base image without the internet\")\n"
        + $"    base_image: {Quote(f.TryGetValue("base_image", out var b) && b.Length > 0 ? b : Weir.Storage.Docker.DockerDefaults.BaseImage)}\n"
        + (bakeCode ? string.Empty : "    include_code: false\n");

    private static string DockerPush(IReadOnlyDictionary<string, string> f) =>
        "- push_docker_image:\n    image_name: '{{ build_image.image_name }}'\n    tag: '{{ build_image.tag }}'\n"
        + (f.TryGetValue("registry_credentials", out var block) && block.Length > 0 ? $"    credentials: '{{{{ weir.blocks.docker-registry-credentials.{block} }}}}'\n" : string.Empty);

    private static string Yaml(string name, string? build = null, string? push = null, string? pull = null, bool image = false, string? deployments = null)
    {
        var text = new StringBuilder();
        text.Append("# Weir project file: how workers get this project's code, and its deployments.\n");
        text.Append("# Placeholders: {{ step_id.output }}, {{ $ENV_VAR }}, {{ weir.blocks.TYPE.NAME }}, {{ weir.variables.NAME }}.\n");
        text.Append($"name: {Quote(name)}\n\n");
        text.Append("# build: steps that make artifacts when you run weir deploy\n");
        text.Append(build is null ? "build: null\n\n" : "build:\n" + build + "\n");
        text.Append("# push: steps that upload the code when you run weir deploy\n");
        text.Append(push is null ? "push: null\n\n" : "push:\n" + push + "\n");
        text.Append("# pull: steps every worker runs before each flow run to get the code\n");
        text.Append(pull is null ? "pull: null\n\n" : "pull:\n" + pull + "\n");
        if (deployments is not null)
        {
            return text.Append(deployments).ToString();
        }

        text.Append("# deployments: add one per flow you want to run from a server, for example:\n");
        text.Append("# - name: nightly\n#   entrypoint: flows/my_flow.cs:example\n");
        text.Append(image
            ? "#   work_pool: { name: containers, job_variables: { image: '{{ build_image.image }}' } }\n"
            : "#   work_pool: { name: default }\n");
        text.Append("#   parameters: { limit: 3 }\n#   schedules: [ { cron: '0 2 * * *', timezone: UTC } ]\n");
        text.Append("deployments: []\n");
        return text.ToString();
    }
}
