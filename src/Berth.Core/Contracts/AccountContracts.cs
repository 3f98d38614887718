using Berth.Core.Validation;

namespace Berth.Core.Contracts;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LoginResponse(string AccessKey, string SecretKey, UserDto User);

public sealed record UserDto(Guid Id, string Email, string Role, bool IsActive, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Email, string? Password, string? Role);

public sealed record ProjectDto(Guid Id, string Name, string? Description, IReadOnlyList<string> Members, DateTimeOffset CreatedAt);

public sealed record CreateProjectRequest(string? Name, [property: FreeText(4096)] string? Description);

public sealed record AddProjectMemberRequest(string? Email);

public sealed record HealthDto(string Status, string Version, string Database);
