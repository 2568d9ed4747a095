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

        /// <summary>
        /// Decodes the key in <paramref name="secret"/>, gives its bytes to <paramref name="use"/>, and
        /// clears them afterwards, whatever happens: no decoded key outlives its use.
        /// </summary>
        public static T WithKey<T>(System.Security.SecureString secret, Func<byte[], T> use)
        {
            byte[] key = SecretText.Reveal(secret, DecodeBase32);
            try
            {
                return use(key);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }

        /// <summary>The code of <paramref name="time"/> for the key in <paramref name="secret"/>; the decoded key is cleared.</summary>
        public static string Compute(System.Security.SecureString secret, DateTimeOffset time) => WithKey(secret, key => Compute(key, time));

        /// <summary>Throws AlexaInvalidInput when <paramref name="secret"/> is not a base32 key; keeps nothing decoded.</summary>
        public static void Validate(System.Security.SecureString secret) => WithKey(secret, key => true);

        /// <summary>Decodes RFC 4648 base32; spaces, dashes and padding are ignored, case is not significant.</summary>
        /// <remarks>The caller clears the result (see <see cref="WithKey"/>); the working buffer is cleared here.</remarks>
        public static byte[] DecodeBase32(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            var output = new byte[text.Length * 5 / 8 + 1];
            int buffer = 0, bits = 0, count = 0;
            try
            {
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
                var key = new byte[count];
                Array.Copy(output, key, count);
                return key;
            }
            finally
            {
                Array.Clear(output, 0, output.Length);
                buffer = 0;
            }
        }
    }
}
