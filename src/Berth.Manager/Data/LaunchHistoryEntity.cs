namespace Berth.Manager.Data;

/// <summary>One of a user's recent launches (table <c>launch_history</c>); see <c>LaunchHistoryRules</c> for what is kept.</summary>
public sealed class LaunchHistoryEntity
{
    public Guid Id { get; set; }
    public Guid OwnerUserId { get; set; }
    public UserEntity? OwnerUser { get; set; }
    public string? Title { get; set; }
    public bool Pinned { get; set; }
    public DateTime LaunchedAt { get; set; }
    /// <summary>The session the launch created, so the list can say what it started.</summary>
    public required string SessionName { get; set; }
    /// <summary>The redacted <c>CreateSessionRequest</c> as JSON.</summary>
    public required string RequestJson { get; set; }
    /// <summary>Names of environment variables whose values were left out, as a JSON array.</summary>
    public string OmittedEnvironmentJson { get; set; } = "[]";
}
