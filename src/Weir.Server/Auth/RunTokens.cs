using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Weir.Server.Auth;

/// <summary>
/// Issues and checks run tokens: <c>wrt1_</c> and the base64url of the run id (16 bytes), the attempt (4) and the time of
/// issue (8, Unix seconds), then an HMAC-SHA256 of those under a key derived from the server's secret key (so every server
/// on one database accepts them, across restarts). The signature is all this class checks; whether the attempt is still
/// going (or ended less than the grace ago) the auth middleware asks the database.
/// </summary>
internal sealed class RunTokens(byte[] key)
{
    /// <summary>What every run token starts with.</summary>
    public const string Prefix = "wrt1_";

    private const int PayloadLength = 16 + 4 + 8;
    private const int MacLength = 32;

    public string Issue(Guid runId, int attempt, DateTimeOffset now)
    {
        var token = new byte[PayloadLength + MacLength];
        runId.TryWriteBytes(token.AsSpan(0, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(token.AsSpan(16, 4), attempt);
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(20, 8), now.ToUnixTimeSeconds());
        HMACSHA256.HashData(key, token.AsSpan(0, PayloadLength), token.AsSpan(PayloadLength));
        return Prefix + Base64Url(token);
    }

    /// <summary>The run and attempt of a token this server's key signed, or null.</summary>
    public RunCredential? Read(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] token;
        try
        {
            token = Convert.FromBase64String(FromBase64Url(presented[Prefix.Length..]));
        }
        catch (FormatException)
        {
            return null;
        }

        if (token.Length != PayloadLength + MacLength)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, token.AsSpan(0, PayloadLength), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, token.AsSpan(PayloadLength)))
        {
            return null;
        }

        return new RunCredential(new Guid(token.AsSpan(0, 16), bigEndian: true), BinaryPrimitives.ReadInt32BigEndian(token.AsSpan(16, 4)));
    }

    /// <summary>What the signing key is derived for from the server's secret key (<see cref="Secrets.SecretBox.DeriveKey"/>).</summary>
    public const string KeyPurpose = "weir run tokens v1";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
    }
}
