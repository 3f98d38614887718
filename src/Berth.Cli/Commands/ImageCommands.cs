using System.CommandLine;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth image list|import|delete</c>, and <c>build</c> from <c>ImageBuildCommand.cs</c>.</summary>
internal static partial class ImageCommands
{
    public static Command Build()
    {
        var image = new Command("image", "List, import and build the images sessions run");
        image.Subcommands.Add(List());
        image.Subcommands.Add(Import());
        image.Subcommands.Add(Delete());
        AddBuildCommand(image);
        return image;
    }

    /// <summary>Adds <c>image build</c>; implemented in ImageBuildCommand.cs, and left out while that file is not compiled.</summary>
    static partial void AddBuildCommand(Command image);

    private static Command List()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("list", "List the images you can start sessions from") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var images = await context.Client.ListImagesAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(images); return; }
            var table = Output.Table("Name", "Reference", "Arch", "Min CPU", "Min mem", "Visibility");
            foreach (var i in images.OrderBy(i => i.Name, StringComparer.Ordinal))
                table.AddRow(i.Name, i.Reference, i.Architecture, i.MinCpu.ToString(CultureInfo.InvariantCulture),
                    Output.Size(i.MinMemoryBytes), Visibility(i));
            Output.Write(table);
        });
        return command;
    }

    internal static string Visibility(ImageDto i) => i.Owner is null ? "public" : $"private ({i.Owner})";

    private static Command Import()
    {
        var reference = new Argument<string>("reference") { Description = "A Docker image reference present on the agent, e.g. berth/python:latest" };
        var name = new Option<string>("--name") { Description = "Catalog name (default: the reference's repository name)" };
        var json = LoginCommands.JsonOption();
        var command = new Command("import", "Register a Docker image in the catalog (admins)") { reference, name, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var image = await context.Client.ImportImageAsync(new ImportImageRequest(r.GetValue(reference), r.GetValue(name)), ct);
            if (r.GetValue(json)) Output.WriteJson(image);
            else WriteImported(image);
        });
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("name") { Description = "Catalog name (e.g. customized-mine1) or id" };
        var json = LoginCommands.JsonOption();
        var command = new Command("delete", "Delete one of your customized images (admins: any image)") { name, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var image = await context.Client.DeleteImageAsync(r.GetValue(name)!, ct);
            if (r.GetValue(json)) Output.WriteJson(image);
            else Output.Done($"Deleted image {image.Name} ({image.Reference}); sessions already started from it keep running.");
        });
        return command;
    }

    internal static void WriteImported(ImageDto i)
    {
        Output.Done($"Registered {i.Reference} as image {i.Name}.");
        Output.WriteDetails([
            ("Name", i.Name),
            ("Reference", i.Reference),
            ("Id", i.Id.ToString()),
            ("Architecture", i.Architecture),
            ("Min CPU", i.MinCpu.ToString(CultureInfo.InvariantCulture)),
            ("Min memory", Output.Size(i.MinMemoryBytes)),
            ("Shared memory", Output.Size(i.PreferredShmemBytes)),
            ("Service ports", i.ServicePorts.Count == 0 ? "-" : string.Join(", ", i.ServicePorts.Select(p => $"{p.Name} {p.ContainerPort}/{p.Protocol}"))),
            ("Visibility", Visibility(i)),
            ("Registered", Output.Time(i.RegisteredAt)),
        ]);
    }
}
