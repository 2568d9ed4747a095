using System.Security.Cryptography;

namespace AlexaPrivacy.Replica.Tests;

/// <summary>An independent RFC 6238 implementation, so the tests do not trust the replica's own.</summary>
internal static class TestTotp
{
    public static string Code(string base32, DateTimeOffset at)
    {
        var clean = base32.Replace(" ", "").ToUpperInvariant().TrimEnd('=');
        var bits = string.Concat(clean.Select(c => Convert.ToString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".IndexOf(c), 2).PadLeft(5, '0')));
        var key = Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
        return Code(key, at.ToUnixTimeSeconds() / 30, 6);
    }

    public static string Code(byte[] key, long step, int digits)
    {
        var msg = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(msg);
        using var hmac = new HMACSHA1(key);
        var h = hmac.ComputeHash(msg);
        int o = h[19] & 0xf;
        int bin = (h[o] & 0x7f) << 24 | h[o + 1] << 16 | h[o + 2] << 8 | h[o + 3];
        return (bin % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }
}
