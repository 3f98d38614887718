using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Options;

/// <summary>Fails start-up on a bad storage configuration instead of at the first request.</summary>
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public const int MinSecretLength = 32;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial Regex HostName();

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (options.Volumes.Count == 0) errors.Add("Storage:Volumes must name at least one volume.");
        foreach (var (host, dir) in options.Volumes)
        {
            if (!HostName().IsMatch(host))
                errors.Add($"Storage:Volumes: '{host}' is not a valid host name (letters, digits, '.', '_', '-'; up to 64).");
            if (string.IsNullOrWhiteSpace(dir) || !Path.IsPathFullyQualified(dir))
            {
                errors.Add($"Storage:Volumes:{host}: '{dir}' must be an absolute directory.");
                continue;
            }
            try
            {
                // Other local users must not reach folder data by walking the volume.
                Berth.Storage.FileSystem.PrivatePaths.EnsureDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"Storage:Volumes:{host}: '{dir}' does not exist and cannot be created: {e.Message}");
            }
        }
        if ((options.TokenSecret?.Length ?? 0) < MinSecretLength)
            errors.Add($"Storage:TokenSecret must be at least {MinSecretLength} characters.");
        if (options.OwnerUid is < 0) errors.Add("Storage:OwnerUid must not be negative.");
        if (options.OwnerGid is < 0) errors.Add("Storage:OwnerGid must not be negative.");
        if (options.MaxUploadBytes is <= 0) errors.Add("Storage:MaxUploadBytes must be positive when set.");
        if (options.StagingMaxAge <= TimeSpan.Zero) errors.Add("Storage:StagingMaxAge must be positive.");
        if (options.FinishedUploadRetention <= TimeSpan.Zero) errors.Add("Storage:FinishedUploadRetention must be positive.");
        if (options.StagingCleanupInterval <= TimeSpan.Zero) errors.Add("Storage:StagingCleanupInterval must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
