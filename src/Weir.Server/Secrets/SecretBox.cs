using System.Security.Cryptography;
using System.Text;
using Weir.Server.Storage;

namespace Weir.Server.Secrets;

/// <summary>
/// Encrypts secret block fields with AES-256-GCM. The key comes from <c>WEIR_SECRET_KEY</c> (base64,
/// 32 bytes) or from a key file generated under <c>WEIR_HOME</c> with mode 0600.
/// </summary>
internal sealed class SecretBox
{
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new InvalidOperationException("The secret key must be 32 bytes (256 bits).");
        }

        _key = key;
    }

    /// <summary>The key from <paramref name="base64Key"/> (WEIR_SECRET_KEY) when given, else from <c>secret.key</c> under <paramref name="weirHome"/>, created on first use.</summary>
    public static SecretBox FromKeyOrFile(string? base64Key, string weirHome)
    {
        if (base64Key is { Length: > 0 } text)
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("WEIR_SECRET_KEY is not base64; it must be 32 random bytes in base64 (for example: openssl rand -base64 32).");
            }

            return key.Length == 32 ? new SecretBox(key) : throw new InvalidOperationException($"WEIR_SECRET_KEY holds {key.Length} bytes; it must be 32 (for example: openssl rand -base64 32).");
        }

        var path = Path.Combine(weirHome, "secret.key");
        if (!File.Exists(path))
        {
            Client.WeirHome.Create(weirHome);
            var key = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created readable by its owner only, before any byte of the key is written.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another server process created it first; use that one.
            }
        }

        return new SecretBox(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    /// <summary>A key of its own for <paramref name="purpose"/> (HKDF-SHA256 of the secret key), so that no other use ever holds the secret key itself.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>The associated data that binds a ciphertext to its block: one block's secrets cannot be pasted into another's row.</summary>
    public static string Context(string type, string name) => type + "/" + name;

    /// <summary>Encrypts <paramref name="plaintext"/>: base64 of nonce (12 bytes), tag (16) and ciphertext.</summary>
    public string Encrypt(string plaintext, string context)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, cipher, tag, Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    /// <summary>Decrypts what <see cref="Encrypt"/> made for the same context; a wrong key or context is an error that says so.</summary>
    public string Decrypt(string encrypted, string context)
    {
        var bytes = Convert.FromBase64String(encrypted);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        try
        {
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new StoreException(500, $"The secret fields of block {context} cannot be decrypted: the server's secret key (WEIR_SECRET_KEY or secret.key under WEIR_HOME) is not the one they were saved with.");
        }

        return Encoding.UTF8.GetString(plain);
    }
}
