// Which remoting host an account goes to: rendezvous (highest random weight) hashing of the
// lower-cased email with each host name, over SHA-256. The same email always lands on the same
// host for the same host list, whatever the order of the list, in every process and on every
// platform (string.GetHashCode is randomised per process); adding or removing a host moves only
// the accounts that must move.
using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace AlexaPrivacy.Execution
{
    internal static class HostAssignment
    {
        /// <summary>The normalised form of an email that the choice depends on.</summary>
        public static string Key(string email) => (email ?? "").Trim().ToLowerInvariant();

        /// <summary>The index in <paramref name="hosts"/> of the host that owns <paramref name="email"/>.</summary>
        public static int HostFor(string email, IReadOnlyList<string> hosts)
        {
            if (hosts == null || hosts.Count == 0) throw new ArgumentException("At least one host is needed.", nameof(hosts));
            string key = Key(email);
            int best = 0;
            ulong bestScore = 0;
            using (var sha = SHA256.Create())
            {
                for (int i = 0; i < hosts.Count; i++)
                {
                    ulong score = Score(sha, (hosts[i] ?? "").Trim().ToLowerInvariant(), key);
                    if (i == 0 || score > bestScore)
                    {
                        best = i;
                        bestScore = score;
                    }
                }
            }
            return best;
        }

        // The first eight bytes of SHA-256("<host>\n<email>"), big-endian.
        private static ulong Score(SHA256 sha, string host, string key)
        {
            byte[] digest = sha.ComputeHash(Encoding.UTF8.GetBytes(host + "\n" + key));
            ulong score = 0;
            for (int i = 0; i < 8; i++) score = (score << 8) | digest[i];
            return score;
        }
    }
}
