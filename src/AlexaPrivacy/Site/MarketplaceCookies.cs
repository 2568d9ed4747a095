// Tells from a signed-in browser's cookie names which marketplace it is signed in to: Amazon names
// its sign-in cookies after the marketplace (at-main on amazon.com, at-acbde on amazon.de).
using System;
using System.Collections.Generic;
using System.Linq;

namespace AlexaPrivacy.Site
{
    internal static class MarketplaceCookies
    {
        // Cookies that carry the marketplace suffix (contract section 2); session-id and
        // session-token are shared by every marketplace and say nothing.
        private static readonly string[] SuffixedPrefixes = { "at-", "sess-at-", "ubid-", "x-" };

        /// <summary>The suffixes that the sign-in cookies among <paramref name="cookieNames"/> carry.</summary>
        public static ISet<string> SuffixesIn(IEnumerable<string> cookieNames)
        {
            var suffixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string name in cookieNames ?? Enumerable.Empty<string>())
            {
                if (string.IsNullOrEmpty(name)) continue;
                var prefix = SuffixedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
                if (prefix == null) continue;
                string suffix = name.Substring(prefix.Length);
                if (suffix.Length > 0 && suffix.All(char.IsLetterOrDigit)) suffixes.Add(suffix);
            }
            return suffixes;
        }

        /// <summary>
        /// The marketplace that the cookies show the browser signed in to when it is another one
        /// than <paramref name="marketplace"/>; null when they match or say nothing clear.
        /// </summary>
        public static string OtherMarketplace(SiteProfile profile, string marketplace, IEnumerable<string> cookieNames)
        {
            string expected = profile.Marketplace(marketplace).CookieSuffix;
            var seen = SuffixesIn(cookieNames);
            if (seen.Count == 0 || seen.Contains(expected)) return null;
            return seen.Select(profile.MarketplaceOfCookieSuffix).FirstOrDefault(m => m != null);
        }
    }
}
