namespace Weir.Storage.Docker;

/// <summary>Defaults of the image steps that <c>weir init</c> writes into its recipes.</summary>
public static class DockerDefaults
{
    /// <summary>The base image of <c>dockerfile: auto</c>: the official ASP.NET Core runtime image, which the runner needs (pulled from the internet).</summary>
    public const string BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
}
