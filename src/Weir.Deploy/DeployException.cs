using Weir.Client;

namespace Weir.Deploy;

/// <summary>A deployment or registration cannot be planned as asked: the message names the flow file, storage declaration, option or reference at fault and what to do.</summary>
public sealed class DeployException(string message, Exception? inner = null) : WeirException(message, inner);
