using Weir.Storage.Steps;

namespace Weir.Storage.Git;

/// <summary>A git operation failed; the message names the repository URL without credentials.</summary>
public sealed class GitException(string message, Exception? inner = null) : StepException(message, inner);
