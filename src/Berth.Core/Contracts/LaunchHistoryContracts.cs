namespace Berth.Core.Contracts;

/// <summary>One remembered launch: the create request as it was sent, minus the values of secret-looking environment variables.</summary>
/// <param name="Title">A name the user gave the entry; null until renamed.</param>
/// <param name="Pinned">Pinned entries are kept beyond the five most recent.</param>
/// <param name="OmittedEnvironment">Environment variable names whose values were not stored because they look secret; the launcher asks for them again.</param>
public sealed record LaunchHistoryEntryDto(
    Guid Id, string? Title, bool Pinned, DateTimeOffset LaunchedAt, string SessionName,
    CreateSessionRequest Request, IReadOnlyList<string> OmittedEnvironment);

/// <param name="Title">New title (1–64 characters); an empty string clears it; null leaves it.</param>
/// <param name="Pinned">true pins, false unpins; null leaves it.</param>
public sealed record UpdateLaunchHistoryRequest(string? Title = null, bool? Pinned = null);
