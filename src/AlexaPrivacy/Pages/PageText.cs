// What a page says and where it is: the page language the module asks for, its labels, an accessible
// name matched as a whole label, and a privacy page's URL in that language.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AlexaPrivacy.Site;

namespace AlexaPrivacy.Pages
{
    internal static class PageText
    {
        /// <summary>The page language the module asks for: the marketplace's own when the profile holds its labels, else the fallback.</summary>
        public static string PageLanguage(AlexaSession session)
        {
            var profile = session.Profile;
            string native = profile.Marketplace(session.Marketplace).Language;
            return profile.LabelsFor(native)?.HasPageLabels == true ? native : profile.FallbackLanguage;
        }

        public static LanguageLabels Labels(AlexaSession session) => session.Profile.LabelsFor(PageLanguage(session));

        /// <summary>
        /// Matches an accessible name that is the whole label, allowing only surrounding space and
        /// decoration such as an arrow glyph; "Use of Voice Recordings for Personalization" does not
        /// match "Use of Voice Recordings".
        /// </summary>
        public static Regex WholeLabel(string label) => Whole(Regex.Escape(label.Trim()));

        /// <summary>Matches an accessible name that is one of the labels as a whole (see <see cref="WholeLabel"/>).</summary>
        public static Regex WholeLabelOfAny(IEnumerable<string> labels) =>
            Whole("(?:" + string.Join("|", labels.Select(l => Regex.Escape(l.Trim()))) + ")");

        private static Regex Whole(string pattern) => new Regex("^" + Decoration + pattern + Decoration + "$");

        /// <summary>A visible name without the decoration WholeLabel allows around it.</summary>
        public static string StripDecoration(string text) =>
            Regex.Replace(Regex.Replace(text ?? "", "^" + Decoration, ""), Decoration + "$", "");

        // Space, arrows, geometric shapes and dingbats; written without \\p{} so that the
        // expression means the same in .NET and in the browser's JavaScript.
        private const string Decoration = "[\\s\\u00A0\\u2190-\\u21FF\\u2500-\\u27BF]*";

        public static string Url(AlexaSession session, string path)
        {
            var builder = new UriBuilder(new Uri(session.BaseUri, path));
            string language = session.Profile.LanguageParameter + "=" + Uri.EscapeDataString(PageLanguage(session));
            builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? language : builder.Query.TrimStart('?') + "&" + language;
            return builder.Uri.AbsoluteUri;
        }
    }
}
