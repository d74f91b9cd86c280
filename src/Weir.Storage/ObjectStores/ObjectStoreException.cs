using Weir.Storage.Steps;

namespace Weir.Storage.ObjectStores;

/// <summary>An object-store operation failed; the message names the bucket or container, the key or the block at fault, never a secret.</summary>
public sealed class ObjectStoreException(string message, Exception? inner = null) : StepException(message, inner);
