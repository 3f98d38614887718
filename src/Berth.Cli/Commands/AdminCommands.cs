using System.CommandLine;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth admin user ...</c> and <c>berth admin project ...</c>.</summary>
internal static class AdminCommands
{
    public static Command Build()
    {
        var admin = new Command("admin", "Manage users and projects, and look at agents (admins)");
        admin.Subcommands.Add(Users());
        admin.Subcommands.Add(Projects());
        foreach (var c in AdminResourceCommands.All()) admin.Subcommands.Add(c);
        admin.Subcommands.Add(AgentAdminCommands.Build());
        admin.Subcommands.Add(Sessions());
        admin.Subcommands.Add(AdminAccountCommands.Audit());
        return admin;
    }

    private static Command Sessions()
    {
        var sessions = new Command("session", "Act on any user's session");
        var name = new Argument<string>("session") { Description = "Session name or id (another user's: its id)" };
        var off = new Option<bool>("--off") { Description = "Take the exemption back" };
        var json = LoginCommands.JsonOption();
        var exempt = new Command("exempt", "Exempt a session from every idle check (network, utilization and lifetime)") { name, off, json };
        exempt.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.SetSessionIdleExemptAsync(r.GetValue(name)!, !r.GetValue(off), ct);
            if (r.GetValue(json)) Output.WriteJson(s);
            else Output.Done(s.IdleExempt ? $"Session {s.Name} is exempt from the idle checks." : $"Session {s.Name} is subject to the idle checks again.");
        });
        sessions.Subcommands.Add(exempt);
        return sessions;
    }

    private static Command Users()
    {
        var user = new Command("user", "Manage user accounts");

        var email = new Argument<string>("email") { Description = "The new user's email" };
        var password = new Option<string>("--password", "-p") { Description = "Their initial password (prompted for when omitted)" };
        var role = new Option<string>("--role") { Description = "user, admin or superadmin", DefaultValueFactory = _ => "user" };
        role.AcceptOnlyFromAmong("user", "admin", "superadmin");
        var json = LoginCommands.JsonOption();
        var create = new Command("create", "Create a user") { email, password, role, json };
        create.SetHandler(async (r, context, ct) =>
        {
            var secret = r.GetValue(password) ?? LoginCommands.Prompt("Password for the new user:", secret: true)
                ?? throw new CliException("give --password (no terminal to ask on)", BerthCli.ExitUsage);
            var created = await context.Client.CreateUserAsync(new CreateUserRequest(r.GetValue(email), secret, r.GetValue(role)), ct);
            if (r.GetValue(json)) Output.WriteJson(created);
            else Output.Done($"Created {created.Role} {created.Email}.");
        });
        user.Subcommands.Add(create);

        var listJson = LoginCommands.JsonOption();
        var list = new Command("list", "List users") { listJson };
        list.SetHandler(async (r, context, ct) =>
        {
            var users = await context.Client.ListUsersAsync(ct);
            if (r.GetValue(listJson)) { Output.WriteJson(users); return; }
            var table = Output.Table("Email", "Role", "Active", "Projects", "Created");
            foreach (var u in users.OrderBy(u => u.Email, StringComparer.Ordinal))
                table.AddRow(u.Email, u.Role, Output.YesNo(u.IsActive), string.Join(", ", u.Projects), Output.Time(u.CreatedAt));
            Output.Write(table);
        });
        user.Subcommands.Add(list);
        foreach (var c in AdminAccountCommands.UserCommands()) user.Subcommands.Add(c);
        return user;
    }

    private static Command Projects()
    {
        var project = new Command("project", "Manage projects");

        var name = new Argument<string>("name") { Description = "The project's name" };
        var description = new Option<string>("--description", "-d") { Description = "What the project is for" };
        var json = LoginCommands.JsonOption();
        var create = new Command("create", "Create a project") { name, description, json };
        create.SetHandler(async (r, context, ct) =>
        {
            var created = await context.Client.CreateProjectAsync(new CreateProjectRequest(r.GetValue(name), r.GetValue(description)), ct);
            if (r.GetValue(json)) Output.WriteJson(created);
            else Output.Done($"Created project {created.Name}.");
        });
        project.Subcommands.Add(create);

        var listJson = LoginCommands.JsonOption();
        var list = new Command("list", "List projects") { listJson };
        list.SetHandler(async (r, context, ct) =>
        {
            var projects = await context.Client.ListProjectsAsync(ct);
            if (r.GetValue(listJson)) { Output.WriteJson(projects); return; }
            var table = Output.Table("Name", "Description", "Members", "Created");
            foreach (var p in projects.OrderBy(p => p.Name, StringComparer.Ordinal))
                table.AddRow(p.Name, p.Description ?? "", string.Join(", ", p.Members), Output.Time(p.CreatedAt));
            Output.Write(table);
        });
        project.Subcommands.Add(list);

        var projectName = new Argument<string>("name") { Description = "The project" };
        var member = new Argument<string>("email") { Description = "The user to add" };
        var memberJson = LoginCommands.JsonOption();
        var addMember = new Command("add-member", "Add a user to a project") { projectName, member, memberJson };
        addMember.SetHandler(async (r, context, ct) =>
        {
            var updated = await context.Client.AddProjectMemberAsync(r.GetValue(projectName)!, r.GetValue(member)!, ct);
            if (r.GetValue(memberJson)) Output.WriteJson(updated);
            else Output.Done($"Added {r.GetValue(member)} to {updated.Name} ({updated.Members.Count} members).");
        });
        project.Subcommands.Add(addMember);

        var fromProject = new Argument<string>("name") { Description = "The project" };
        var leaving = new Argument<string>("email") { Description = "The member to remove" };
        var removeJson = LoginCommands.JsonOption();
        var removeMember = new Command("remove-member", "Take a user out of a project (not the default one)") { fromProject, leaving, removeJson };
        removeMember.SetHandler(async (r, context, ct) =>
        {
            var updated = await context.Client.RemoveProjectMemberAsync(r.GetValue(fromProject)!, r.GetValue(leaving)!, ct);
            if (r.GetValue(removeJson)) Output.WriteJson(updated);
            else Output.Done($"Removed {r.GetValue(leaving)} from {updated.Name} ({updated.Members.Count} members).");
        });
        project.Subcommands.Add(removeMember);
        return project;
    }
}
