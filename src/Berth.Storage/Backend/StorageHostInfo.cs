namespace Berth.Storage.Backend;

public sealed record StorageHostInfo(string Name, string Path, long TotalBytes, long FreeBytes);
