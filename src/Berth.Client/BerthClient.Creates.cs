using System.Net;

namespace Berth.Client;

public sealed partial class BerthClient
{
    internal const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>How many times a create is sent in all when its answer is lost (a broken connection, a timeout, a 502–504).</summary>
    public int CreateAttempts { get; set; } = 4;

    /// <summary>
    /// POSTs a create under an <c>Idempotency-Key</c>, retrying a lost answer with the same key: the server stored
    /// the first attempt's result with the key, so a retry gets that result back, never a duplicate or a
    /// <c>name-taken</c> error. A 409 <c>idempotency-key-in-flight</c> (the first attempt is still running) is waited out too.
    /// </summary>
    private async Task<T> SendCreateAsync<T>(string path, object body, string? idempotencyKey, CancellationToken ct)
    {
        var key = idempotencyKey ?? NewIdempotencyKey();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendJsonAsync<T>(HttpMethod.Post, path, body, ct, key).ConfigureAwait(false);
            }
            catch (BerthApiException e) when (attempt < CreateAttempts && !ct.IsCancellationRequested && IsLostAnswer(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 << attempt), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A new random key (32 hex digits).</summary>
    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    private static bool IsLostAnswer(BerthApiException e) => e switch
    {
        { IsNetworkError: true } => true,
        { StatusCode: HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        { StatusCode: HttpStatusCode.Conflict, Rule: "idempotency-key-in-flight" } => true,
        _ => false,
    };
}
