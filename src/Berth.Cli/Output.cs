using System.Globalization;
using System.Net;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Units;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Berth.Cli;

/// <summary>
/// Everything the CLI prints. Results go to stdout (tables and grids for people, or with <c>--json</c> the DTOs and
/// nothing else); messages, errors and progress go to stderr.
/// </summary>
internal static class Output
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static IAnsiConsole? _stdout, _stderr;

    public static IAnsiConsole Stdout => _stdout ??= Create(Console.Out, Console.IsOutputRedirected);
    public static IAnsiConsole Stderr => _stderr ??= Create(Console.Error, Console.IsErrorRedirected);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Into a file or a pipe, wrapping at 80 columns only breaks lines apart; tables still take only the width they need.
        if (redirected) console.Profile.Width = 240;
        return console;
    }

    public static bool StderrIsTerminal => !Console.IsErrorRedirected;

    public static void WriteJson<T>(T value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
        Console.Out.Flush();
    }

    /// <summary>A one-line confirmation for people ("Renamed a to b.") on stdout.</summary>
    public static void Done(string text) => Console.Out.WriteLine(text);

    public static void Note(string text)
    {
        if (StderrIsTerminal) Stderr.MarkupLine("[grey]" + Markup.Escape(text) + "[/]");
        else Console.Error.WriteLine(text);
    }

    public static void Error(string message, string? field = null, string? rule = null, string? hint = null)
    {
        var line = "error: " + message;
        if (StderrIsTerminal) Stderr.MarkupLine("[red]" + Markup.Escape(line) + "[/]");
        else Console.Error.WriteLine(line);
        var extra = string.Join("  ", new[] { field is null ? null : "field: " + field, rule is null ? null : "rule: " + rule }.Where(s => s is not null));
        if (extra.Length > 0) Console.Error.WriteLine("  " + extra);
        if (hint is not null) Console.Error.WriteLine("  " + hint);
    }

    public static void Error(BerthApiException e)
    {
        var hint = e.StatusCode == HttpStatusCode.Unauthorized
            ? "your login is no longer valid: run `berth login` again"
            : null;
        Error(e.Message, e.Field, e.Rule, hint);
    }

    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers) table.AddColumn(new TableColumn("[bold]" + Markup.Escape(h) + "[/]"));
        return table;
    }

    public static void AddRow(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Markup(Markup.Escape(c ?? ""))).ToArray());

    /// <summary>A key/value grid, for one object's details.</summary>
    public static void WriteDetails(IEnumerable<(string Key, string? Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (key, value) in rows)
            grid.AddRow(new Markup("[bold]" + Markup.Escape(key) + "[/]"), new Markup(Markup.Escape(value ?? "-")));
        Stdout.Write(grid);
    }

    public static void Write(IRenderable renderable) => Stdout.Write(renderable);

    public static string Size(long? bytes) => bytes is { } b ? ByteSize.Format(b) : "-";

    public static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string YesNo(bool b) => b ? "yes" : "no";
}
