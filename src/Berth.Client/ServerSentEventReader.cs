using System.Runtime.CompilerServices;
using System.Text;

namespace Berth.Client;

/// <summary>One dispatched server-sent event.</summary>
/// <param name="Type">The <c>event:</c> field, or <c>message</c> when the event named none.</param>
/// <param name="Data">The <c>data:</c> lines joined with <c>\n</c>.</param>
/// <param name="Id">The last <c>id:</c> seen on the stream so far, if any.</param>
public sealed record ServerSentEvent(string Type, string Data, string? Id);

/// <summary>
/// Parses a <c>text/event-stream</c> as the HTML standard describes it: lines end in LF, CR or CRLF; a blank
/// line dispatches the event; lines starting with <c>:</c> are comments (keep-alives); <c>field: value</c> with
/// one optional space after the colon; several <c>data</c> lines join with <c>\n</c>; an event without data is
/// not dispatched; <c>retry</c> and unknown fields are ignored; an unfinished event at the end is dropped.
/// </summary>
public static class ServerSentEventReader
{
    public const string DefaultType = "message";

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var data = new StringBuilder();
        var hasData = false;
        string? type = null;
        string? lastId = null;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData) yield return new ServerSentEvent(string.IsNullOrEmpty(type) ? DefaultType : type, data.ToString(), lastId);
                data.Clear();
                hasData = false;
                type = null;
                continue;
            }
            if (line[0] == ':') continue;

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "data":
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
                case "event":
                    type = value;
                    break;
                case "id":
                    if (!value.Contains('\0')) lastId = value;
                    break;
            }
        }
    }
}
