using System.Security.Cryptography;
using System.Text;

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

    public static SecretBox FromEnvironmentOrFile(string weirHome)
    {
        if (Environment.GetEnvironmentVariable("WEIR_SECRET_KEY") is { Length: > 0 } text)
        {
            try
            {
                return new SecretBox(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("WEIR_SECRET_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32).");
            }
        }

        var path = Path.Combine(weirHome, "secret.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(weirHome);
            var key = RandomNumberGenerator.GetBytes(32);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created readable by its owner only, before any byte of the key is written.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            }
        }

        return new SecretBox(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    public string Encrypt(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Decrypt(string encrypted)
    {
        var bytes = Convert.FromBase64String(encrypted);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
