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

    /// <summary>
    /// Acting for or on another account (on-behalf-of launches, deactivating, deleting) needs a strictly
    /// higher rank: admins act on users, superadmins on admins and users, and nobody on their peers, so a
    /// superadmin's folders and sessions stay theirs.
    /// </summary>
    public static bool Outranks(this UserRole actor, UserRole target) => Rank(actor) > Rank(target);

    private static int Rank(UserRole role) => role switch
    {
        UserRole.SuperAdmin => 2,
        UserRole.Admin => 1,
        _ => 0,
    };

    /// <summary>The roles <paramref name="actor"/> outranks, for queries that filter by the stored role.</summary>
    public static IReadOnlyList<UserRole> RolesBelow(this UserRole actor) =>
        Enum.GetValues<UserRole>().Where(target => actor.Outranks(target)).ToList();
}
