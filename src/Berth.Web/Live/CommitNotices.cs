using Berth.Client;
using Berth.Core.Contracts;
using Berth.Web.Auth;

namespace Berth.Web.Live;

/// <summary>One commit started from this console: running, then done (with the image) or failed (with why).</summary>
public sealed record CommitNotice(Guid SessionId, string SessionName, string ImageName, DateTimeOffset StartedAt)
{
    public ImageDto? Image { get; init; }
    public string? Failure { get; init; }
    public bool Running => Image is null && Failure is null;

    public string Text => Running
        ? $"Committing {SessionName} to image {ImageName}…"
        : Image is { } image
            ? $"Committed {SessionName} to image {image.Name}."
            : $"Commit of {SessionName} to image {ImageName} failed: {Failure}";
}

/// <summary>
/// The commits this circuit started (scoped): they run in the background (the API answers once the image is in
/// the catalog, seconds to minutes), so the user can go on; the header's notification list shows their progress
/// and outcome, and the detail panel knows to offer a forced terminate while one runs.
/// </summary>
public sealed class CommitNotices(ConsoleUser user, TimeProvider time) : IDisposable
{
    private const int Keep = 20;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CommitNotice> _notices = [];
    private readonly Lock _gate = new();

    /// <summary>A commit started or ended. Raised off the renderer's thread: use InvokeAsync.</summary>
    public event Func<CommitNotice, Task>? Changed;

    public IReadOnlyList<CommitNotice> All
    {
        get { lock (_gate) return _notices.ToList(); }
    }

    public bool IsCommitting(Guid sessionId)
    {
        lock (_gate) return _notices.Any(n => n.SessionId == sessionId && n.Running);
    }

    /// <summary>Starts committing <paramref name="session"/> and returns at once; the outcome arrives through <see cref="Changed"/>.</summary>
    public void Start(SessionDto session, string imageName)
    {
        var notice = new CommitNotice(session.Id, session.Name, imageName, time.GetUtcNow());
        Replace(null, notice);
        _ = Task.Run(async () =>
        {
            CommitNotice done;
            try
            {
                done = notice with { Image = await user.Client.CommitSessionAsync(session.Id.ToString(), imageName, _stop.Token) };
            }
            catch (BerthApiException e)
            {
                done = notice with { Failure = e.Message };
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return; // the circuit is gone; nobody is left to tell
            }
            Replace(notice, done);
            await RaiseAsync(done);
        });
        _ = RaiseAsync(notice);
    }

    private void Replace(CommitNotice? old, CommitNotice notice)
    {
        lock (_gate)
        {
            var at = old is null ? -1 : _notices.IndexOf(old);
            if (at >= 0) _notices[at] = notice;
            else _notices.Insert(0, notice);
            if (_notices.Count > Keep) _notices.RemoveAt(_notices.Count - 1);
        }
    }

    private async Task RaiseAsync(CommitNotice notice)
    {
        if (Changed is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<CommitNotice, Task>>())
        {
            try { await handler(notice); }
            catch (ObjectDisposedException) { } // a page that went away while the commit ran
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
