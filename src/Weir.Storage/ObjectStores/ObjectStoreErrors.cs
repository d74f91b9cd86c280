using System.Net;

namespace Weir.Storage.ObjectStores;

/// <summary>The sentences shared by every store for the failures they have in common.</summary>
internal static class ObjectStoreErrors
{
    public static ObjectStoreException AccessRefused(string kind, string what, string? block, string code, string fix, Exception inner) =>
        new(block is null
            ? $"{kind} refused access to {what} ({code}) and no credentials were given: pass a credentials block ({fix})."
            : $"{kind} refused access to {what} with {block} ({code}): check {fix}, and that it may read and write there.", inner);

    public static ObjectStoreException Unreachable(string kind, string what, string endpoint, Exception inner) =>
        new($"could not reach {kind} at {endpoint} for {what} ({inner.Message}): check the endpoint URL and the network.", inner);

    public static bool IsAccessStatus(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
