namespace Weir.Storage.ObjectStores;

/// <summary>An object found by listing: its full key and size in bytes.</summary>
internal sealed record RemoteObject(string Key, long Size);
