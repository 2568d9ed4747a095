// RFC 6238 one-time codes from the authenticator key Amazon shows (base32, spaces allowed).
using System;
using System.Security.Cryptography;

namespace AlexaPrivacy.Security
{
    internal static class Totp
    {
        public const int StepSeconds = 30;

        public static string Compute(byte[] key, DateTimeOffset time, int digits = 6)
        {
            long counter = time.ToUnixTimeSeconds() / StepSeconds;
            return ComputeHotp(key, counter, digits);
        }

        public static string ComputeHotp(byte[] key, long counter, int digits = 6)
        {
            var message = new byte[8];
            for (int i = 7; i >= 0; i--)
            {
                message[i] = (byte)(counter & 0xff);
                counter >>= 8;
            }
            byte[] hash;
            using (var hmac = new HMACSHA1(key))
            {
                hash = hmac.ComputeHash(message);
            }
            int offset = hash[hash.Length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
            int modulo = 1;
            for (int i = 0; i < digits; i++) modulo *= 10;
            return (binary % modulo).ToString().PadLeft(digits, '0');
        }

        /// <summary>Decodes RFC 4648 base32; spaces, dashes and padding are ignored, case is not significant.</summary>
        public static byte[] DecodeBase32(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            var output = new byte[text.Length * 5 / 8 + 1];
            int buffer = 0, bits = 0, count = 0;
            foreach (char raw in text)
            {
                if (raw == ' ' || raw == '-' || raw == '=' || raw == '\t') continue;
                int value = alphabet.IndexOf(char.ToUpperInvariant(raw));
                if (value < 0)
                {
                    throw AlexaException.InvalidInput("The TOTP key is not base32: it may hold only the letters A-Z, the digits 2-7 and spaces.");
                }
                buffer = (buffer << 5) | value;
                bits += 5;
                if (bits >= 8)
                {
                    output[count++] = (byte)(buffer >> (bits - 8));
                    bits -= 8;
                }
            }
            if (count == 0) throw AlexaException.InvalidInput("The TOTP key is empty.");
            Array.Resize(ref output, count);
            return output;
        }
    }
}
