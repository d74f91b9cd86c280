namespace Weir.Server.Secrets;

/// <summary>The built-in block types, their fields and which are secret. Field names follow Prefect's blocks where it has one.</summary>
internal static class BlockTypes
{
    public static IReadOnlyList<BlockTypeDto> All { get; } =
    [
        new("secret", "A secret value, such as an access token.", ["value"], ["value"]),
        new("github-credentials", "A GitHub personal access token.", ["token", "username"], ["token"]),
        new("gitlab-credentials", "A GitLab access token (or a deploy token with its username); url for self-hosted GitLab.", ["token", "username", "url"], ["token"]),
        new("bitbucket-credentials", "A Bitbucket access token, or a username and app password; url for Bitbucket Server.", ["token", "username", "password", "url"], ["token", "password"]),
        new("aws-credentials", "AWS (or S3-compatible) credentials.",
            ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "profile_name", "region_name", "endpoint_url"], ["aws_secret_access_key", "aws_session_token"]),
        new("azure-blob-storage-credentials", "Azure Blob Storage: a connection string, or an account URL and key (account_name when the URL does not show it).",
            ["connection_string", "account_url", "account_key", "account_name"], ["connection_string", "account_key"]),
        new("gcp-credentials", "A Google Cloud service account (its JSON key) and project; endpoint_url for another GCS endpoint, such as an emulator.",
            ["service_account_info", "service_account_file", "project", "endpoint_url"], ["service_account_info"]),
        new("docker-registry-credentials", "A login for a container registry (push_docker_image); registry_url defaults to the image's registry.", ["username", "password", "registry_url"], ["password"]),
        new("ssh-key", "An SSH private key for git over SSH.", ["private_key", "passphrase", "known_hosts", "username"], ["private_key", "passphrase"]),
    ];

    public static BlockTypeDto? Find(string slug) => All.FirstOrDefault(t => t.Slug == slug);
}
