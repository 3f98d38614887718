using System.CommandLine;
using System.Net;
using Berth.Agent.Docker;
using Berth.Agent.Images;
using Berth.Client;
using Berth.Core.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth image build RECIPE</c>: builds a Berth image on this machine's Docker engine with the agent's
/// <see cref="ImageBuilder"/>, then registers it in the catalog when logged in.
/// </summary>
internal static partial class ImageCommands
{
    static partial void AddBuildCommand(Command image) => image.Subcommands.Add(BuildImage());

    private static Command BuildImage()
    {
        var recipe = new Argument<string>("recipe") { Description = "What to build: " + string.Join(", ", ImageBuilder.Recipes) };
        recipe.AcceptOnlyFromAmong([.. ImageBuilder.Recipes]);
        var noImport = new Option<bool>("--no-import") { Description = "Only build; do not register the image in the catalog" };
        var json = LoginCommands.JsonOption();
        var command = new Command("build", "Build an image on this machine's Docker engine and register it") { recipe, noImport, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var name = r.GetValue(recipe)!;
            string reference;
            using (var docker = DockerEndpoint.CreateClient())
            {
                var builder = new ImageBuilder(docker);
                reference = await BuildWithProgressAsync(builder, name, ct);
            }
            Output.Note($"built {reference}");

            var importHint = $"`berth image import {reference} --name {name}`";
            if (r.GetValue(noImport))
            {
                Output.Done($"Built {reference}; register it with {importHint}.");
                return;
            }
            if (context.Config.Keys is null)
            {
                Output.Done($"Built {reference}. Not logged in, so it is not registered: after `berth login`, run {importHint}.");
                return;
            }
            ImageDto image;
            try
            {
                image = await context.Client.ImportImageAsync(new ImportImageRequest(reference, name), ct);
            }
            catch (BerthApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new CliException($"built {reference}, but registering it needs an admin ({e.Message}); an admin can run {importHint}");
            }
            if (r.GetValue(json)) Output.WriteJson(image);
            else WriteImported(image);
        });
        return command;
    }

    /// <summary>Runs the build with a progress display on stderr: a live bar (stage, last message, fraction) on a terminal, lines otherwise.</summary>
    private static async Task<string> BuildWithProgressAsync(ImageBuilder builder, string recipe, CancellationToken ct)
    {
        if (!Output.StderrIsTerminal)
            return await builder.BuildAsync(recipe, new LineBuildProgress(), ct);

        return await Output.Stderr.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape($"{recipe}: starting"), maxValue: 1);
                task.IsIndeterminate = true;
                var reference = await builder.BuildAsync(recipe, new BarBuildProgress(task), ct);
                task.Description = Markup.Escape($"{recipe}: built {reference}");
                task.IsIndeterminate = false;
                task.Value = 1;
                task.StopTask();
                return reference;
            });
    }

    /// <summary>Reports straight into the bar (no <see cref="Progress{T}"/>: its callbacks may run out of order).</summary>
    private sealed class BarBuildProgress(ProgressTask task) : IProgress<ImageBuildProgress>
    {
        private const int MessageWidth = 70;
        private string? _stage;

        public void Report(ImageBuildProgress value)
        {
            if (value.Stage != _stage)
            {
                // Keep finished stages visible above the bar.
                if (_stage is not null) Output.Stderr.MarkupLine("[grey]" + Markup.Escape($"  {_stage}: done") + "[/]");
                _stage = value.Stage;
            }
            var message = value.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > MessageWidth) message = message[..(MessageWidth - 1)] + "…";
            task.Description = Markup.Escape($"{value.Stage}: {message}");
            if (value.Fraction is { } f)
            {
                task.IsIndeterminate = false;
                task.Value = Math.Clamp(f, 0, 1);
            }
            else
            {
                task.IsIndeterminate = true;
            }
        }
    }

    /// <summary>Not a terminal: one line per message, prefixed with its stage (and percentage when known).</summary>
    private sealed class LineBuildProgress : IProgress<ImageBuildProgress>
    {
        private readonly Lock _lock = new();
        private string? _last;

        public void Report(ImageBuildProgress value)
        {
            var line = $"[{value.Stage}] " + (value.Fraction is { } f ? $"{Math.Clamp(f, 0, 1) * 100:0}% " : "") + value.Message.ReplaceLineEndings(" ").Trim();
            lock (_lock)
            {
                if (line == _last) return;
                _last = line;
                Console.Error.WriteLine(line);
            }
        }
    }
}
