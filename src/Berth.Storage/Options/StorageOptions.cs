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

    /// <summary>
    /// How long the record of a completed (or terminated) upload is kept, so that a client whose last
    /// PATCH answer was lost can ask HEAD and hear "offset = length" instead of 404. Keep it longer than
    /// the manager's transfer ticket lifetime (<c>Manager:TransferTicketLifetime</c>, 10 minutes by
    /// default), which storage cannot see: a client retries with the ticket it has.
    /// </summary>
    public TimeSpan FinishedUploadRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the staging cleanup runs.</summary>
    public TimeSpan StagingCleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
