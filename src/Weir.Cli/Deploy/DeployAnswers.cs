namespace Weir.Cli.Deploy;

/// <summary>The answers of the deploy dialogue given as options; a null answer is asked for in a terminal, else it is an error naming its option.</summary>
internal sealed record DeployAnswers
{
    /// <summary><c>--entrypoint</c>: the flow, as <c>path/to/file.cs:flow-name</c>.</summary>
    public string? Entrypoint { get; init; }

    /// <summary><c>--name</c>: the deployment's name.</summary>
    public string? Name { get; init; }

    /// <summary><c>--pool</c>: the work pool (created as a process pool when missing).</summary>
    public string? Pool { get; init; }

    /// <summary><c>--git</c>: workers clone the git repository (true) or run from this folder (false).</summary>
    public bool? Git { get; init; }

    /// <summary><c>--repository</c>: the URL workers clone.</summary>
    public string? Repository { get; init; }

    /// <summary><c>--branch</c>: the branch workers check out.</summary>
    public string? Branch { get; init; }

    /// <summary><c>--private</c>: the repository needs a token.</summary>
    public bool? Private { get; init; }

    /// <summary><c>--image</c>: the image a container pool runs (defaults to the image the <c>build_docker_image</c> step builds).</summary>
    public string? Image { get; init; }

    /// <summary><c>--token-stdin</c>: read the repository token from standard input (never from the command line).</summary>
    public bool TokenFromStdin { get; init; }
}
