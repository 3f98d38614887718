namespace Berth.Storage.Options;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Storage host name → absolute directory holding that host's folders.</summary>
    public Dictionary<string, string> Volumes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>HMAC-SHA256 key shared with the manager, which signs the grants this storage verifies.</summary>
    public string TokenSecret { get; set; } = "";

    /// <summary>
    /// When set, everything the storage creates is chowned to this uid so that the non-root
    /// <c>work</c> user inside session containers can modify it later.
    /// </summary>
    public int? OwnerUid { get; set; }

    public int? OwnerGid { get; set; }

    /// <summary>Largest single upload accepted; null for no limit beyond quotas.</summary>
    public long? MaxUploadBytes { get; set; }

    /// <summary>Unfinished uploads older than this are removed from staging.</summary>
    public TimeSpan StagingMaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the staging cleanup runs.</summary>
    public TimeSpan StagingCleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
