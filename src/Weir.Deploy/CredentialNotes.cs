using Weir.Storage.Steps;

namespace Weir.Deploy;

/// <summary>
/// What object-store steps without a <c>credentials</c> block will authenticate with, said once at
/// <c>weir init</c> and <c>weir deploy</c>: S3 and GCS then use their SDK's default credential chain on the
/// machine that runs the step (this command for a push, each worker for a pull); Azure steps cannot work
/// without a block.
/// </summary>
internal static class CredentialNotes
{
    public static IEnumerable<string> For(IEnumerable<StepDefinition> steps)
    {
        foreach (var step in steps)
        {
            if (step.Arguments["credentials"] is not null)
            {
                continue;
            }

            var runsOn = step.Section == "pull" ? "each worker" : "the machine that runs weir deploy";
            switch (step.ShortName)
            {
                case "push_to_s3" or "pull_from_s3":
                    yield return $"{step.Describe()} has no credentials block, so it uses the AWS SDK's default credential chain on {runsOn} "
                        + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, or an instance or task role); give 'credentials' (an aws-credentials block) to choose.";
                    break;
                case "push_to_gcs" or "pull_from_gcs" when step.Arguments["endpoint_url"] is null:
                    yield return $"{step.Describe()} has no credentials block, so it uses Google's Application Default Credentials on {runsOn} "
                        + "(GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login, or the metadata server); give 'credentials' (a gcp-credentials block) to choose.";
                    break;
                case "push_to_azure_blob_storage" or "pull_from_azure_blob_storage":
                    yield return $"{step.Describe()} has no credentials block, and Azure Blob Storage steps need one: give 'credentials' "
                        + "(an azure-blob-storage-credentials block with a connection_string, or account_url and account_key).";
                    break;
            }
        }
    }
}
