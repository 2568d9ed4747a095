using System.Security.Cryptography;

namespace AlexaPrivacy.Replica;

/// <summary>RFC 6238 one-time codes: HMAC-SHA-1, 6 digits, 30-second steps, base32 keys.</summary>
public static class Totp
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Decodes a base32 key; spaces and case are ignored, padding is optional.</summary>
    public static byte[] DecodeBase32(string key)
    {
        if (key == null) throw new ArgumentNullException(nameof(key));
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var raw in key)
        {
            if (raw == ' ' || raw == '-' || raw == '=' || char.IsWhiteSpace(raw)) continue;
            int value = Alphabet.IndexOf(char.ToUpperInvariant(raw));
            if (value < 0) throw new FormatException("The key is not base32.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((buffer >> bits) & 0xFF));
            }
        }
        if (output.Count == 0) throw new FormatException("The key is empty.");
        return output.ToArray();
    }

    public static bool IsValidKey(string key)
    {
        try { DecodeBase32(key); return true; } catch (FormatException) { return false; }
    }

    /// <summary>The code for a given 30-second step.</summary>
    public static string Compute(byte[] key, long step)
    {
        var counter = new byte[8];
        for (int i = 7; i >= 0; i--) { counter[i] = (byte)(step & 0xFF); step >>= 8; }
        var hash = HMACSHA1.HashData(key, counter);
        int offset = hash[^1] & 0x0F;
        int binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    public static string Compute(string base32Key, DateTimeOffset at) =>
        Compute(DecodeBase32(base32Key), at.ToUnixTimeSeconds() / 30);

    /// <summary>True when the code matches the current step or one step either side.</summary>
    public static bool Verify(string base32Key, string code, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(code)) return false;
        code = code.Trim().Replace(" ", "");
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        byte[] key;
        try { key = DecodeBase32(base32Key); } catch (FormatException) { return false; }
        long step = now.ToUnixTimeSeconds() / 30;
        for (long s = step - 1; s <= step + 1; s++)
            if (CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Compute(key, s)),
                    System.Text.Encoding.ASCII.GetBytes(code)))
                return true;
        return false;
    }
}
