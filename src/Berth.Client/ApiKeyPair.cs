namespace Berth.Client;

/// <summary>The access/secret keypair the manager hands out at login. The secret never leaves this process.</summary>
public sealed record ApiKeyPair(string AccessKey, string SecretKey)
{
    // Keep the secret out of logs and exception messages that format the record.
    public override string ToString() => $"ApiKeyPair {{ AccessKey = {AccessKey} }}";
}
