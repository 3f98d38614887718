namespace Berth.Core.Accounts;

public enum UserRole { User, Admin, SuperAdmin }

public static class UserRoles
{
    public static string ToWire(this UserRole role) => role switch
    {
        UserRole.SuperAdmin => "superadmin",
        UserRole.Admin => "admin",
        _ => "user",
    };

    public static bool TryParse(string? text, out UserRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "user": role = UserRole.User; return true;
            case "admin": role = UserRole.Admin; return true;
            case "superadmin": role = UserRole.SuperAdmin; return true;
            default: role = UserRole.User; return false;
        }
    }

    public static bool IsAdmin(this UserRole role) => role is UserRole.Admin or UserRole.SuperAdmin;

    /// <summary>Nobody may hand out more power than they hold.</summary>
    public static bool CanGrant(this UserRole actor, UserRole target) => actor switch
    {
        UserRole.SuperAdmin => true,
        UserRole.Admin => target == UserRole.User,
        _ => false,
    };
}
